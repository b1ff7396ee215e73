import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describeCxml } from './simulate-cxml.js';
import type { Target } from './simulate-http.js';
import { sequenceFile } from './sequence-file.js';
import { replaySequence, type ReplaySender } from './sequence-replay.js';

/** Sends replayed requests over HTTP to the service at `base`. */
function httpReplaySender(base: string): ReplaySender {
  return async (r) => {
    const res = await fetch(new URL(r.path, base), { method: r.method, headers: r.headers, ...(r.body === undefined ? {} : { body: r.body }) });
    return { status: res.status, body: await res.text() };
  };
}

/**
 * `flow --replay FILE`: plays a recorded call sequence (see sequence-file.ts; the
 * project's own are in test/fixtures/cloudonix) against a running service, as a
 * new call with the file's times counted from now. The file's `setup` (agents,
 * rules) is not created: the service's own configuration answers. Prints each
 * step, and what did not match the file's per-step expectations; false if any.
 */
export async function runReplay(o: { target: Target; file: string; session?: string | undefined; print: (line: string) => void }): Promise<boolean> {
  const parsed = sequenceFile.safeParse(JSON.parse(await readFile(o.file, 'utf8')));
  if (!parsed.success) throw new Error(`${o.file} is not a sequence file: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const sequence = parsed.data;
  if (!o.target.secret) throw new Error('--secret is required to replay (the sequence authenticates as Cloudonix would)');
  o.print(`replay "${sequence.name}" on ${o.target.domain}`);
  o.print(`  source: ${sequence.source}`);
  const send = httpReplaySender(o.target.base);
  let clean = true;
  for (let call = 0; call < sequence.calls; call++) {
    const session = o.session && sequence.calls === 1 ? o.session : randomBytes(16).toString('hex');
    o.print(`call ${call + 1}/${sequence.calls} session=${session}`);
    const steps = await replaySequence(sequence, { domain: o.target.domain, secret: o.target.secret, session, t: Date.now(), send });
    for (const s of steps) {
      const answer = s.cxml ? ` → ${describeCxml(s.cxml)}` : s.step.send === 'voice' || s.step.send === 'callback' ? '' : ` ${s.response.body.slice(0, 120)}`;
      o.print(`  ${s.index + 1}. ${s.step.send}${s.step.note ? ` (${s.step.note})` : ''} ${s.response.status}${answer}`);
      // Agent keys name the file's own setup, which a running service does not have, and its agents may be
      // reached over SIP (dial) or WebSocket (connect): only the rest is checked.
      const mismatches = s.mismatches.filter((m) => !m.includes('expected agent') && !m.startsWith('no setup agent') && !/^answered (dial|connect), expected (dial|connect)$/.test(m));
      for (const m of mismatches) o.print(`     ✗ ${m}`);
      if (mismatches.length > 0) clean = false;
    }
  }
  if (sequence.expect) o.print(`expected at the end: ${sequence.expect.status} (${sequence.expect.reason})`);
  o.print(clean ? 'every step answered as the file expects' : 'some steps did not answer as the file expects');
  return clean;
}
