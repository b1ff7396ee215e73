/**
 * Makes a snapshot of what users see comparable between runs and databases: only
 * what legitimately differs is rewritten. Generated ids become their rank among the
 * ids of the same kind in the snapshot (databases skip sequence values differently),
 * the run's random names (tenant domain, session tokens, e-mail and name suffixes)
 * become labels, instants before the run (the times in Cloudonix's payloads) become
 * offsets from the seeded base time, instants of the run itself (the service's wall
 * clock: when a call started, when a row was written) become `<run>`, days become
 * offsets from the run's day and measured durations become `<timing>`.
 */
export interface NormaliseContext {
  /** Epoch ms every seeded call's times are offsets from. */
  base: number;
  /** Epoch ms when seeding began: later instants are the run's own wall clock. */
  runStart: number;
  /** Exact texts to replace, longest first (domain, sessions, random suffixes). */
  replacements: [string, string][];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Which kind of id a key holds, by its name (and, for `id`, the kind of object it is in). */
const ID_KEYS: Record<string, string> = {
  agent_id: 'agent',
  caller_agent_id: 'agent',
  agentId: 'agent',
  group_id: 'group',
  groupId: 'group',
  rule_id: 'rule',
  ruleId: 'rule',
  chosen_agent_id: 'agent',
  call_record_id: 'call',
  user_id: 'user',
  requested_by: 'user',
  // The audit log's item of any kind (agent, group, rule, tenant, ...): ranked among themselves.
  entity_id: 'entity',
};
/** Keys whose value is a list of ids. */
const ID_LIST_KEYS: Record<string, string> = { candidates: 'agent' };
/** The kind of the `id` of objects (or arrays of them) under a key; `target` says its own. */
const NESTED_KINDS: Record<string, string> = { events: 'event', cdrs: 'cdr', data: '', matched_rule: 'rule', rule: 'rule' };
/** Objects whose content is as a client sent it (Cloudonix's ids are not ours): only texts and times are normalised. */
const EXTERNAL = new Set(['cdr/payload', 'audit/payload']);
/** Numbers that measure the run itself. */
const TIMING_KEYS = new Set(['duration_ms']);

/** The kind of `id`s in the value under `key`, inside an object whose ids are of `kind`. */
function nestedKind(kind: string, key: string, value: Json): string {
  if (key === 'target' && value && typeof value === 'object' && !Array.isArray(value) && typeof value.type === 'string') return value.type;
  const k = NESTED_KINDS[key];
  if (k === '') return kind;
  return k ?? `${kind}/${key}`;
}

const DAY_MS = 86_400_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
// A CSV or text cell may hold a SQL-style instant too.
const SQL_INSTANT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/;
// Epoch milliseconds of this decade, as numbers or digit strings.
const isEpochMs = (n: number) => Number.isInteger(n) && n > 1_600_000_000_000 && n < 2_200_000_000_000;

function instant(ms: number, c: NormaliseContext): string {
  if (ms >= c.runStart - 1_000) return '<run>';
  const d = ms - c.base;
  return `T${d >= 0 ? '+' : ''}${d}`;
}

/** A local day (the tenants' zone is UTC) relative to the run's day: the calls are recorded at the run's wall clock. */
function day(text: string, c: NormaliseContext): string {
  const d = Math.round((Date.parse(`${text}T00:00:00Z`) - Math.floor(c.runStart / DAY_MS) * DAY_MS) / DAY_MS);
  return `D${d >= 0 ? '+' : ''}${d}`;
}

function text(s: string, c: NormaliseContext): string {
  if (ISO_INSTANT.test(s)) return instant(Date.parse(s), c);
  if (SQL_INSTANT.test(s)) return instant(Date.parse(`${s.replace(' ', 'T')}Z`), c);
  if (ISO_DAY.test(s)) return day(s, c);
  if (/^\d{13}$/.test(s) && isEpochMs(Number(s))) return instant(Number(s), c);
  let out = s;
  for (const [from, to] of c.replacements) out = out.split(from).join(to);
  // Test support names groups and agents with a random hex suffix.
  return out.replace(/\b(Group|Agent) [0-9a-f]{8}\b/g, '$1 <hex>');
}

/** Collects every id of each kind, so each can be replaced by its rank. */
function collect(v: Json, kind: string, ids: Map<string, Set<number>>): void {
  if (Array.isArray(v)) {
    for (const x of v) collect(x, kind, ids);
    return;
  }
  if (v === null || typeof v !== 'object' || EXTERNAL.has(kind)) return;
  const add = (idKind: string, id: number) => {
    if (!ids.has(idKind)) ids.set(idKind, new Set());
    ids.get(idKind)!.add(id);
  };
  for (const [k, x] of Object.entries(v)) {
    const idKind = k === 'id' ? kind : ID_KEYS[k];
    const listKind = ID_LIST_KEYS[k];
    if (idKind && typeof x === 'number') add(idKind, x);
    else if (listKind && Array.isArray(x)) {
      for (const id of x) if (typeof id === 'number') add(listKind, id);
    }
    else collect(x, nestedKind(kind, k, x), ids);
  }
}

function rewrite(v: Json, kind: string, rank: (kind: string, id: number) => string, c: NormaliseContext): Json {
  if (Array.isArray(v)) return v.map((x) => rewrite(x, kind, rank, c));
  if (typeof v === 'string') return text(v, c);
  if (typeof v === 'number') return isEpochMs(v) ? instant(v, c) : v;
  if (v === null || typeof v !== 'object') return v;
  const external = EXTERNAL.has(kind);
  const out: { [key: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) {
    const idKind = external ? undefined : k === 'id' ? kind : ID_KEYS[k];
    const listKind = external ? undefined : ID_LIST_KEYS[k];
    if (TIMING_KEYS.has(k) && typeof x === 'number') out[k] = '<timing>';
    else if (idKind && typeof x === 'number') out[k] = rank(idKind, x);
    else if (listKind && Array.isArray(x)) out[k] = x.map((id) => (typeof id === 'number' ? rank(listKind, id) : id));
    else out[text(k, c)] = rewrite(x, external ? kind : nestedKind(kind, k, x), rank, c);
  }
  return out;
}

/**
 * The snapshot with ids ranked per kind. `views` maps a view's name to its answer;
 * the view's own `id`s are of the kind `kindOf(name)` says (e.g. `call`, `cdr`, `audit`).
 */
export function normaliseViews(views: Record<string, unknown>, kindOf: (view: string) => string, c: NormaliseContext): Record<string, Json> {
  const ids = new Map<string, Set<number>>();
  for (const [name, v] of Object.entries(views)) collect(v as Json, kindOf(name), ids);
  const ranks = new Map<string, Map<number, number>>();
  for (const [kind, set] of ids) ranks.set(kind, new Map([...set].sort((a, b) => a - b).map((id, i) => [id, i + 1])));
  const rank = (kind: string, id: number) => `${kind}#${ranks.get(kind)?.get(id) ?? '?'}`;
  const out: Record<string, Json> = {};
  for (const [name, v] of Object.entries(views)) out[text(name, c)] = rewrite(v as Json, kindOf(name), rank, c);
  return out;
}
