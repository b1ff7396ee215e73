import { performance } from 'node:perf_hooks';

/**
 * A sign-in flood, in a process of its own so its CPU is not the webhook client's:
 * `POST /api/auth/login` at a fixed rate (open loop: a slow answer does not slow the
 * flood), alternating a wrong and the right password for one account. It stops on
 * SIGTERM or after FLOOD_MAX_SECONDS, waits briefly for answers still due, and prints
 * one JSON line: attempts, answers by status, and their latency.
 *
 * Env: FLOOD_URL (http://127.0.0.1:port), FLOOD_EMAIL, FLOOD_PASSWORD, FLOOD_RATE (per second),
 * FLOOD_MAX_SECONDS (60), FLOOD_INVALID=1 (an empty password instead: the schema answers 422
 * and nothing is hashed, a control for what the requests cost without the hashing).
 */
const base = process.env.FLOOD_URL ?? '';
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base)) throw new Error('FLOOD_URL must be http://127.0.0.1:<port>: this flood targets this machine only');
const email = process.env.FLOOD_EMAIL ?? '';
const password = process.env.FLOOD_PASSWORD ?? '';
const invalid = process.env.FLOOD_INVALID === '1';
const rate = Number(process.env.FLOOD_RATE ?? 17);
const maxSeconds = Number(process.env.FLOOD_MAX_SECONDS ?? 60);
/** More answers outstanding than this and an attempt is skipped, so the client itself cannot pile up. */
const MAX_OUTSTANDING = 256;

const statuses = new Map<string, number>();
const latencies: number[] = [];
let sent = 0;
let skipped = 0;
let outstanding = 0;
let stopping = false;
const startedAt = performance.now();

function count(key: string): void {
  statuses.set(key, (statuses.get(key) ?? 0) + 1);
}

async function attempt(i: number): Promise<void> {
  outstanding += 1;
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: invalid ? '' : i % 2 === 0 ? `wrong-${i}` : password }),
    });
    await res.arrayBuffer();
    count(String(res.status));
    latencies.push(performance.now() - t0);
  } catch {
    count('error');
  } finally {
    outstanding -= 1;
  }
}

function tick(): void {
  if (stopping) return;
  const now = performance.now();
  if (now - startedAt > maxSeconds * 1000) return void stop();
  // Catch up on the schedule rather than drift: attempt i is due at i / rate seconds.
  while (sent < ((now - startedAt) / 1000) * rate) {
    if (outstanding >= MAX_OUTSTANDING) skipped += 1;
    else void attempt(sent);
    sent += 1;
  }
  setTimeout(tick, Math.max(1, 1000 / rate / 2));
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const seconds = (performance.now() - startedAt) / 1000;
  const deadline = performance.now() + 5000;
  while (outstanding > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
  const result = { sent, skipped, seconds, statuses: Object.fromEntries(statuses), unanswered: outstanding, p50: at(50), p99: at(99) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

process.on('SIGTERM', () => void stop());
process.stdout.write('ready\n');
tick();
