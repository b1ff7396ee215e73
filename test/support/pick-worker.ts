// A separate process making concurrent group decisions against the shared database and Redis.
// Reads lines "<tenantId> <groupId> <picks>" on stdin and answers each with one JSON line
// {agentId: timesChosenFirst}. Used by the cross-instance fairness test.
import { createInterface } from 'node:readline';
import { openRuntime } from '../../src/cli/runtime.js';
import { parseConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/services/logger.js';

const runtime = await openRuntime(parseConfig(process.env), createLogger('silent'), { redisKeyPrefix: process.env.PLANE_PREFIX ?? '' });
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [tenantId, groupId, picks] = line.trim().split(/\s+/).map(Number) as [number, number, number];
  const decisions = await Promise.all(Array.from({ length: picks }, () => runtime.services.distribution.choose(tenantId, groupId)));
  const tally: Record<number, number> = {};
  for (const d of decisions) {
    const first = d.candidates[0];
    if (first !== undefined) tally[first] = (tally[first] ?? 0) + 1;
  }
  process.stdout.write(`${JSON.stringify(tally)}\n`);
}
await runtime.close();
