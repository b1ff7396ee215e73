import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/services/logger.js';
import { createRepeatedLog } from '../../src/services/repeated-log.js';

function capture() {
  const lines: { level: number; msg: string; repeated?: number }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as (typeof lines)[number]);
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('repeated log', () => {
  it('logs the first occurrence at once, then one line per interval with the count, and nothing for a quiet interval', async () => {
    const { lines, logger } = capture();
    const repeated = createRepeatedLog(logger, 100);
    for (let i = 0; i < 500; i++) repeated.warn('redis connection error', { attempt: i });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[40, 'redis connection error']]);
    await sleep(150);
    expect(lines.at(-1)).toMatchObject({ level: 40, msg: 'redis connection error (repeated)', repeated: 499, attempt: 499 });
    await sleep(150);
    // A quiet interval closes the window: the next occurrence is logged at once again.
    expect(lines).toHaveLength(2);
    repeated.error('Redis is unreachable');
    repeated.warn('redis connection error');
    expect(lines.slice(2).map((l) => l.msg)).toEqual(['Redis is unreachable', 'redis connection error']);
    repeated.warn('redis connection error');
    repeated.flush();
    expect(lines.at(-1)).toMatchObject({ msg: 'redis connection error (repeated)', repeated: 1 });
  });
});
