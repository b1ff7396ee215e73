import type { Redis } from 'ioredis';

/** One script call as Redis runs it: the index of its script, its keys and its arguments. */
export interface ScriptCall {
  script: number;
  keys: readonly string[];
  args: readonly (string | number)[];
}

/** A call's reply, or the error its script raised. */
type Outcome = [ok: 1, reply: unknown] | [ok: 0, error: string];

interface Waiting extends ScriptCall {
  resolve: (reply: unknown) => void;
  reject: (err: Error) => void;
}

/** Script calls gathered per turn of the event loop (see createScriptBatch). */
export interface ScriptBatch {
  run(call: ScriptCall): Promise<unknown>;
  /** Sends the calls queued so far now, rather than at the end of the turn. */
  sendQueued(): void;
}

/** Calls per round trip at most: a batch runs as one script, and Redis serves nobody else meanwhile. */
const MAX_BATCH = 200;

/**
 * The Lua of one script that runs many calls of `scripts` in order, each with its own KEYS
 * and ARGV and each caught on its own: a call whose script raises an error fails alone.
 * KEYS: every call's keys in turn. ARGV: the number of calls, then per call its script's
 * (1-based) index, key count and argument count, then every call's arguments in turn.
 * Returns per call {1, reply} or {0, error}.
 */
export function batchLua(scripts: readonly string[]): string {
  const functions = scripts.map((lua) => `function(KEYS, ARGV)\n${lua}\nend`).join(',\n');
  return `
local scripts = {
${functions}
}
local n = tonumber(ARGV[1])
local k, a = 1, 2 + 3 * n
local out = {}
for i = 1, n do
  local h = 3 * i - 1
  local keys, args = {}, {}
  for j = 1, tonumber(ARGV[h + 1]) do keys[j] = KEYS[k]; k = k + 1 end
  for j = 1, tonumber(ARGV[h + 2]) do args[j] = ARGV[a]; a = a + 1 end
  local ok, reply = pcall(scripts[tonumber(ARGV[h])], keys, args)
  if ok then
    if reply == nil then reply = false end
    out[i] = { 1, reply }
  else
    out[i] = { 0, type(reply) == 'table' and reply.err or tostring(reply) }
  end
end
return out`;
}

/** As ioredis names an error Redis answered, so isRedisUnavailable and callers read it the same. */
function replyError(message: string): Error {
  return Object.assign(new Error(message), { name: 'ReplyError' });
}

/**
 * Script calls made in the same turn of the event loop, sent to Redis as one script (see
 * batchLua) when the turn's I/O has been handled. Under load the voice requests of a turn
 * arrive together (a group commit answers many, and their callers send the next ones at
 * once), and so do their next steps: each step of each call was a round trip of its own, with
 * its own command, reply and timer in the client and its own script call in Redis; now a
 * turn's steps share one. Each call is still atomic on its own, and the calls run in the order
 * they were made; a call alone waits for nothing but the end of its turn. `sendQueued` sends
 * what is queued at once: the plane calls it before any plain command, so that its commands
 * reach Redis in the order they were made (a slot counted without waiting is released later
 * on the same ordered connection, services/distribution-service.ts).
 */
export function createScriptBatch(redis: Redis, scripts: readonly string[]): ScriptBatch {
  const command = 'vlbBatch';
  redis.defineCommand(command, { lua: batchLua(scripts) });
  const send = (redis as unknown as Record<typeof command, (...args: (string | number)[]) => Promise<Outcome[]>>)[command].bind(redis);
  let queue: Waiting[] = [];

  function flush(): void {
    const taken = queue;
    queue = [];
    for (let from = 0; from < taken.length; from += MAX_BATCH) run(taken.slice(from, from + MAX_BATCH));
  }

  function run(calls: readonly Waiting[]): void {
    const keys: string[] = [];
    const header: number[] = [calls.length];
    const args: (string | number)[] = [];
    for (const c of calls) {
      header.push(c.script + 1, c.keys.length, c.args.length);
      for (const key of c.keys) keys.push(key);
      for (const arg of c.args) args.push(arg);
    }
    send(keys.length, ...keys, ...header, ...args).then(
      (outcomes) =>
        calls.forEach((c, i) => {
          const outcome = outcomes[i];
          if (outcome?.[0] === 1) c.resolve(outcome[1]);
          else c.reject(replyError(String(outcome?.[1] ?? 'no reply for this script call')));
        }),
      (err: Error) => {
        for (const c of calls) c.reject(err);
      },
    );
  }

  return {
    run: (call) =>
      new Promise((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ script: call.script, keys: call.keys, args: call.args, resolve, reject });
      }),
    sendQueued: flush,
  };
}
