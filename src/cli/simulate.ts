#!/usr/bin/env node
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { runFlow } from './simulate-flow.js';
import { runReplay } from './simulate-replay.js';
import { formatMs, ok, RequestFailed, send, WEBHOOK_KINDS, webhookUrl, WIRE_METHODS, type Target, type WebhookKind, type WireMethod } from './simulate-http.js';
import { printLoad, runLoad } from './simulate-load.js';
import { DEFAULT_MIX, formatMix, parseMix, type Mix } from './simulate-mix.js';
import { cdr, dialCallback, newCall, OUTCOMES, sessionUpdate, timelineOf, voiceRequest, type Outcome } from './simulate-payloads.js';

/**
 * Webhook simulator: sends Cloudonix-shaped requests to a running service.
 * `npm run simulate -- <command> [options]`; exit 0 on success, 1 when a request
 * fails, 2 on a usage error.
 */
const COMMANDS = `commands:
  send [voice|callback|session|cdr]  one request of that kind (default voice); prints status, content type and body
  flow                               one whole call: voice app → for each leg session updates and its Dial/Connect
                                     callback → final session update → CDR; with --replay FILE, a recorded
                                     Cloudonix sequence instead (test/fixtures/cloudonix/*.json)
  load                               --calls calls (new session each) at --concurrency, each played to its end with a
                                     scenario of --mix; counts, what the service answered, latency percentiles
  list                               these commands and the Cloudonix URLs for --domain`;

const USAGE = `usage: npm run simulate -- <command> [options]

${COMMANDS}

options:
  --url URL            service base URL (env SIMULATE_URL, default http://127.0.0.1:3000)
  --domain D           the tenant's Cloudonix domain (env SIMULATE_DOMAIN; required)
  --secret S           the tenant's webhook secret (env SIMULATE_SECRET)
  --from N             caller number (default +14155550123)
  --to N               called number (default +12125550187)
  --session T          session token (default: random 32 hex)
  --method M           get | post-json | post-form for voice requests (default post-json)
  --outcome O          completed | no-answer | busy | failed | canceled, the dial result (default completed)
  --duration S         call length in seconds (default 42)
  --replay FILE        flow: play this sequence file (its steps, times from now, a new session)
  --calls N            load: number of calls (default 100)
  --concurrency C      load: calls in flight (default 10)
  --mix M              load: scenario weights (default ${formatMix(DEFAULT_MIX)});
                       scenarios: answered, no-answer, busy, failover, caller-hangup, failed
  --seed N             load: makes the scenarios and durations repeatable (default: random, printed)
  --voice-only         load: only the voice-application request of each call, as when Cloudonix
                       is configured with the voice URL only (calls stay live on the service)`;

class UsageError extends Error {}

const OPTIONS = {
  url: { type: 'string' },
  domain: { type: 'string' },
  secret: { type: 'string' },
  from: { type: 'string', default: '+14155550123' },
  to: { type: 'string', default: '+12125550187' },
  session: { type: 'string' },
  method: { type: 'string', default: 'post-json' },
  calls: { type: 'string', default: '100' },
  concurrency: { type: 'string', default: '10' },
  outcome: { type: 'string', default: 'completed' },
  duration: { type: 'string', default: '42' },
  replay: { type: 'string' },
  mix: { type: 'string' },
  seed: { type: 'string' },
  'voice-only': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
}

function positiveInt(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max} (got "${value}")`);
  return n;
}

function baseUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`--url must be an http(s) URL (got "${value}")`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--url must be an http(s) URL (got "${value}")`);
  return u.origin;
}

async function main(argv: string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values: v, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (v.help || command === 'help') {
    print(USAGE);
    return 0;
  }
  if (command === undefined) throw new UsageError('say which command to run');
  if (!['send', 'flow', 'load', 'list'].includes(command)) throw new UsageError(`unknown command "${command}"`);
  const maxRest = command === 'send' ? 1 : 0;
  if (rest.length > maxRest) throw new UsageError(`unexpected argument "${rest[maxRest] ?? ''}" after ${command}`);

  const domain = v.domain ?? env.SIMULATE_DOMAIN;
  if (!domain) throw new UsageError('--domain is required (or set SIMULATE_DOMAIN): the tenant\'s Cloudonix domain');
  const target: Target = { base: baseUrl(v.url ?? env.SIMULATE_URL ?? 'http://127.0.0.1:3000'), domain, secret: v.secret ?? (env.SIMULATE_SECRET || undefined) };
  const method = oneOf<WireMethod>('method', v.method, WIRE_METHODS);
  const outcome = oneOf<Outcome>('outcome', v.outcome, OUTCOMES);
  const durationSeconds = positiveInt('duration', v.duration, 86_400);
  const calls = positiveInt('calls', v.calls, 1_000_000);
  const concurrency = positiveInt('concurrency', v.concurrency, 10_000);
  if (v.session !== undefined && !/^[\w.-]{1,128}$/.test(v.session)) throw new UsageError('--session must be 1-128 letters, digits, dots, dashes or underscores');
  const call = newCall(domain, v.from, v.to, v.session);
  let mix: Mix = DEFAULT_MIX;
  try {
    if (v.mix !== undefined) mix = parseMix(v.mix);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (v.seed !== undefined && (!/^\d{1,10}$/.test(v.seed) || Number(v.seed) > 0xffffffff)) throw new UsageError(`--seed must be a whole number from 0 to 4294967295 (got "${v.seed}")`);
  const seed = v.seed !== undefined ? Number(v.seed) : randomInt(0, 0xffffffff);

  switch (command) {
    case 'list': {
      print(COMMANDS);
      print('');
      print(`Cloudonix URLs for ${domain}${target.secret ? '' : ' (pass --secret to fill in the token)'}:`);
      const show = (kind: WebhookKind) => {
        const url = webhookUrl({ ...target, secret: target.secret ?? '<secret>' }, kind, true, kind === 'callback' ? { attempt: '1' } : {});
        return url.toString().replace('%3Csecret%3E', '<secret>');
      };
      print(`  voice application (POST):  ${show('voice')}`);
      print(`  dial action callback:      ${show('callback')}   (the service writes it into each <Dial action>)`);
      print(`  session update endpoint:   ${show('session')}`);
      print(`  CDR endpoint:              ${show('cdr')}`);
      return 0;
    }
    case 'send': {
      const kind = oneOf<WebhookKind>('kind of send', rest[0] ?? 'voice', WEBHOOK_KINDS);
      const timeline = timelineOf(call, outcome, durationSeconds);
      const isVoice = kind === 'voice' || kind === 'callback';
      const url = webhookUrl(target, kind, !isVoice, kind === 'callback' ? { attempt: '1' } : {});
      const body =
        kind === 'voice' ? voiceRequest(call) : kind === 'callback' ? dialCallback(call, outcome) : kind === 'session'
              ? sessionUpdate(call, 'connected', timeline.answeredAt ?? call.startedAt, { answeredAt: timeline.answeredAt, endedAt: null })
              : cdr(call, outcome, timeline);
      const a = await send(url, body, isVoice ? method : 'post-json', isVoice ? target.secret : undefined, domain);
      print(`${kind} session=${call.session} → ${a.status} ${formatMs(a.ms)}`);
      print(`content-type: ${a.contentType}`);
      print(a.body);
      return ok(a) ? 0 : 1;
    }
    case 'flow': {
      if (v.replay !== undefined) return (await runReplay({ target, file: v.replay, session: v.session, print })) ? 0 : 1;
      print(`call ${call.session} ${call.from} → ${call.to} on ${domain} (${method}, outcome ${outcome}, ${durationSeconds}s)`);
      return (await runFlow({ target, call, method, outcome, durationSeconds, print })) ? 0 : 1;
    }
    default: {
      const voiceOnly = v['voice-only'];
      print(`load: ${calls} calls, ${concurrency} at a time, ${voiceOnly ? 'voice requests only' : `mix ${formatMix(mix)}, seed ${seed}`}`);
      const result = await runLoad({ target, calls, concurrency, method, from: v.from, to: v.to, mix, seed, voiceOnly });
      printLoad(result, print);
      return result.errors === 0 ? 0 : 1;
    }
  }
}

main(process.argv.slice(2), process.env, (line) => console.log(line)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`simulate: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof RequestFailed) {
      console.error(`simulate: ${err.message}`);
      process.exitCode = 1;
    } else {
      console.error(`simulate: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    }
  },
);
