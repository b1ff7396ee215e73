import type { Kysely } from 'kysely';
import { NO_FACTS } from '../../core/lifecycle/call-event.js';
import { answeredBefore } from '../../core/lifecycle/repeat-answer.js';
import { answeredEndOf, type AnsweredEnd } from '../../core/lifecycle/short-calls.js';
import { endOf, storyEffects, type CallEnd, type StoryEffects } from '../../core/lifecycle/story-effects.js';
import { tellStory, type CallStory } from '../../core/lifecycle/tell-story.js';
import { rollupDelta, rollupOfNewCall, type RollupEntry } from '../../core/stats/rollup-contribution.js';
import type { CallRecordRow } from '../../store/call-records.js';
import type { Store } from '../../store/database.js';
import type { Repositories } from '../../store/index.js';
import type { NewCallEventRow, NewCallRow, RoutedCallRows } from '../../store/routed-calls.js';
import type { Database } from '../../store/schema.js';
import type { Clock } from '../clock.js';
import { createGroupCommit } from '../group-commit.js';
import { firstAnswerOnly, newCallRow, newRecordRow, NEW_CALL_STATUS, rolledCall, storyColumns, timeline, type CallChange, type NewCall } from './call-rows.js';
import { factsOfRow } from './stored-facts.js';

export type { CallChange, NewCall } from './call-rows.js';

/** A call's record after a write, its story, and what the change asks of live state. */
export interface RecordedCall {
  record: CallRecordRow;
  story: CallStory;
  effects: StoryEffects;
  /** The call's end when this write is the one that ended it (see endOf). */
  ended: CallEnd | null;
  /** The agent's answered end and billed seconds when this write first shows them (see answeredEndOf). */
  answered: AnsweredEnd | null;
}

export interface RecordOptions {
  /** More rows to write in the same transaction (the CDR itself); throw DuplicateEvent to write nothing. */
  alsoWrite?: (trx: Kysely<Database>, callRecordId: number) => Promise<void>;
  /**
   * Write only onto a record the session already has; throw UnknownSession (nothing written)
   * otherwise. The check is the read the write makes anyway, so known sessions pay nothing.
   */
  onlyKnown?: boolean;
}

/** A committed write of a call record, for listeners such as the real-time feed (they must not throw or block). */
export type CallWrite =
  | { kind: 'created'; tenantId: number; record: CallRecordRow; routed: boolean }
  | { kind: 'changed'; tenantId: number; before: CallRecordRow; after: CallRecordRow; changes: readonly CallChange[] };
export type OnCallWrite = (write: CallWrite) => void;

/** A tenant's local day of an instant (its time zone): the roll-up row a call counts in. */
export type DayOf = (startedAt: number) => string;
/**
 * Where the recorder learns a tenant's local days, asked before each write's transaction
 * (a function when the time zone is cached, so the hot path awaits nothing).
 */
export type RollupDays = (tenantId: number) => DayOf | Promise<DayOf>;

/** Largest number of new calls written in one transaction (bounds the statement's parameters). */
const MAX_CALLS_PER_COMMIT = 200;

/** Days in UTC, for a recorder built without the tenants' time zones (tests of the recorder alone). */
const utcDay: DayOf = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * Writes a call's life: one record per session. Each change's event is folded into
 * the call's facts and the record shows the story they tell (core/lifecycle); each
 * change is also a row of the call's timeline, in the same transaction.
 * Each write also adds what it changed to the call's daily roll-up row, in its own
 * transaction (core/stats/rollup-contribution.ts); `rollupDays` gives the tenant's local day.
 * `onCallWrite` hears of each committed write with its details (real time).
 */
export function createCallRecorder(store: Store, repos: Repositories, clock: Clock, rollupDays: RollupDays = () => utcDay, onCallWrite: OnCallWrite = () => {}) {
  const dayOfTenant = async (tenantId: number): Promise<DayOf> => rollupDays(tenantId);
  /**
   * What the change from `before` (null: the call is new) to `after` adds to the roll-ups;
   * `trace`: the decision trace the change set, as a value (see Timeline.trace), read instead of after's text.
   */
  const rollupOf = (tenantId: number, dayOf: DayOf, before: CallRecordRow | NewCallRow | null, after: CallRecordRow | NewCallRow, trace: unknown): RollupEntry[] =>
    rollupDelta(tenantId, before && { call: before, day: dayOf(Number(before.started_at)) }, { call: rolledCall(after, trace), day: dayOf(Number(after.started_at)) });
  /** New routed calls (skipping sessions that already have a record) with all their events, in one transaction. */
  async function insertRouted(calls: readonly RoutedCallRows[]): Promise<(CallRecordRow | undefined)[]> {
    const ids = await repos.routedCalls.insert(calls);
    return calls.map((call, i) => {
      const id = ids[i];
      // Not Object.assign({}, record, { id }): copied key by key, an object this wide (26 keys) falls
      // into dictionary mode, and every later read of the record is a hash lookup. A spread after
      // the id keeps one hidden class for every record (eslint.config.js: only a spread followed by
      // more keys makes a new one).
      return id === undefined ? undefined : { id, ...call.record };
    });
  }
  const routedWrites = createGroupCommit<RoutedCallRows, CallRecordRow | undefined>({
    writeBatch: insertRouted,
    writeOne: async (call) => (await insertRouted([call]))[0],
    maxBatch: MAX_CALLS_PER_COMMIT,
  });

  /** Applies changes to the locked record (created if absent) inside `trx`. Throws DuplicateEvent for a stored eventId or a routing step already answered. */
  async function applyLocked(tenantId: number, call: NewCall, changes: readonly CallChange[], trx: Kysely<Database>, options: RecordOptions, dayOf: DayOf) {
    const now = clock();
    let created = false;
    // A plain read first: a locking read of a row that is not there yet takes a gap lock on
    // MariaDB, and two new calls' gap locks deadlock each other's inserts.
    let before = (await repos.callRecords.findBySession(tenantId, call.sessionToken, trx)) && (await repos.callRecords.findForUpdate(tenantId, call.sessionToken, trx));
    if (!before) {
      if (options.onlyKnown) throw new UnknownSession();
      created = (await repos.callRecords.insertIfAbsent(newCallRow(tenantId, call, now), trx)) !== undefined;
      before = await repos.callRecords.findForUpdate(tenantId, call.sessionToken, trx);
      if (!before) throw new Error('call record vanished after insert');
      if (created) await repos.callEvents.insert(tenantId, { call_record_id: before.id, event_id: null, event_type: 'call.received', from_status: null, to_status: 'received', payload: null, occurred_at: now }, trx);
    }
    const factsBefore = factsOfRow(before);
    // A routing request answered before (its copy outlived its answer key) writes nothing.
    if (answeredBefore(factsBefore, changes.map((c) => c.event))) throw new DuplicateEvent();
    const told = tellStory(factsBefore);
    const { facts, story, rows, fields, trace } = timeline(factsBefore, told.status, changes, now);
    // The columns once (the facts serialised once): the update writes them, `after` shows them.
    const columns = Object.assign({}, fields, storyColumns(story, facts), { updated_at: now });
    // The clone keeps the row's hidden class; assigning columns it already has keeps it too (see insertRouted).
    const after = Object.assign({ ...before }, columns) as CallRecordRow;
    await repos.callRecords.update(tenantId, before.id, columns, trx);
    for (const row of rows) {
      if (!(await repos.callEvents.insert(tenantId, Object.assign({}, row, { call_record_id: before.id }), trx))) throw new DuplicateEvent();
    }
    await options.alsoWrite?.(trx, Number(before.id));
    // A call created here has added nothing yet; one written before added its row's counts then.
    await repos.callRollups.addEntries(rollupOf(tenantId, dayOf, created ? null : before, after, trace), now, trx);
    const storyBefore = created ? null : told;
    return { before, after, created, story, effects: storyEffects(storyBefore, story), ended: endOf(storyBefore, story), answered: answeredEndOf(storyBefore, story) };
  }

  /**
   * Runs `work` in a transaction, again (up to three times) when the database chose it as a
   * deadlock victim: it was rolled back whole, so running it again is safe, and webhooks of
   * different calls arriving together must not fail for it.
   */
  async function inTransaction<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await store.db.transaction().execute(work);
      } catch (err) {
        if (attempt >= 3 || !store.dialect.isDeadlock(err)) throw err;
      }
    }
  }

  /**
   * Applies changes to the session's record (created if this is the first we hear of
   * it), in order and in one transaction with the record locked, so concurrent
   * webhooks of one call fold one after the other. Throws DuplicateEvent when a
   * change's eventId was stored before (nothing is written then).
   */
  async function record(tenantId: number, call: NewCall, changes: readonly CallChange[], options: RecordOptions = {}): Promise<RecordedCall> {
    // The day is known before the transaction: a time-zone read inside it would wait on its own connection (SQLite).
    const dayOf = await dayOfTenant(tenantId);
    const result = await inTransaction((trx) => applyLocked(tenantId, call, changes, trx, options, dayOf));
    if (result.created) onCallWrite({ kind: 'created', tenantId, record: result.before, routed: false });
    onCallWrite({ kind: 'changed', tenantId, before: result.before, after: result.after, changes });
    return { record: result.after, story: result.story, effects: result.effects, ended: result.ended, answered: result.answered };
  }

  return {
    find(tenantId: number, sessionToken: string): Promise<CallRecordRow | undefined> {
      return repos.callRecords.findBySession(tenantId, sessionToken);
    },

    /**
     * The hot path's write: a new call already routed, as one row (its first answer's
     * timeline entries are told from it when read, see firstAnswerOnly), committed together with the other calls routed in the same
     * moment (group commit). Resolves once committed. Returns undefined when the
     * session already has a record (a session update came first); the caller
     * then uses `record`.
     */
    async createRouted(tenantId: number, call: NewCall, changes: readonly CallChange[]): Promise<RecordedCall | undefined> {
      const now = clock();
      // From no facts (a new call): the story before the changes is a constant, told once.
      const { facts, story, rows, fields, trace } = timeline(NO_FACTS, NEW_CALL_STATUS, changes, now);
      const record = newRecordRow(tenantId, call, now, fields, story, facts);
      const first = firstAnswerOnly(changes, rows);
      // The usual first write (one step-0 answer) stores no timeline rows: its entries are told from the row.
      if (first) record.first_answer = first.payload;
      const days = rollupDays(tenantId);
      const dayOf = typeof days === 'function' ? days : await days;
      const rollup = rollupOfNewCall(tenantId, { call: rolledCall(record, trace), day: dayOf(Number(record.started_at)) });
      const events: NewCallEventRow[] = first ? [] : [{ event_id: null, event_type: 'call.received', from_status: null, to_status: 'received', payload: null, occurred_at: now }, ...rows];
      const created = await routedWrites.write({ record, events, rollup });
      if (!created) return undefined;
      onCallWrite({ kind: 'created', tenantId, record: created, routed: true });
      return { record: created, story, effects: storyEffects(null, story), ended: endOf(null, story), answered: answeredEndOf(null, story) };
    },

    record,
  };
}
export type CallRecorder = ReturnType<typeof createCallRecorder>;

/** A change for a session with no record, refused by `onlyKnown`: the caller may check it and write again. */
export class UnknownSession extends Error {
  constructor() {
    super('no record for this session');
    this.name = 'UnknownSession';
  }
}

/** A Cloudonix event delivered twice: nothing to do the second time. */
export class DuplicateEvent extends Error {
  constructor() {
    super('duplicate event');
    this.name = 'DuplicateEvent';
  }
}
