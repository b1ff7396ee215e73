import type { Selectable } from 'kysely';
import type { Store } from './database.js';
import type { CallEventsTable } from './schema.js';

export type CallEventRow = Selectable<CallEventsTable>;

/** A call's timeline. Events carrying a Cloudonix eventId are stored once per tenant. */
export function createCallEventStore({ db, dialect }: Store) {
  return {
    /** False when an event with the same eventId was already stored (a duplicate delivery). */
    async insert(tenantId: number, values: Omit<CallEventRow, 'id' | 'tenant_id'>, trx = db): Promise<boolean> {
      try {
        await trx.insertInto('call_events').values(Object.assign({}, values, { tenant_id: tenantId })).execute();
        return true;
      } catch (err) {
        if (values.event_id !== null && dialect.isUniqueViolation(err)) return false;
        throw err;
      }
    },
    listForCall(tenantId: number, callRecordId: number, trx = db): Promise<CallEventRow[]> {
      return trx
        .selectFrom('call_events')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('call_record_id', '=', callRecordId)
        .orderBy('occurred_at')
        .orderBy('id')
        .execute();
    },
  };
}
export type CallEventStore = ReturnType<typeof createCallEventStore>;
