import { Dialog } from '../../../components/ui/dialog.js';
import { JsonBlock } from '../../../components/ui/json-block.js';
import { QueryStatus } from '../../../components/ui/query-status.js';
import { formatDateTime, formatDuration } from '../../../lib/format.js';
import { useCdr } from '../api/get-cdr.js';

/** One CDR with its raw payload, and a link to its call record when it has one. */
export function CdrDrawer({ id, onClose, onOpenCall }: { id: number | undefined; onClose: () => void; onOpenCall: (id: number) => void }) {
  const cdr = useCdr(id);
  const c = cdr.data;
  return (
    <Dialog open={id !== undefined} onClose={onClose} variant="drawer" title={c ? `CDR ${c.disposition ?? ''}`.trim() : 'CDR'} description={c?.call_id}>
      {!c ? (
        <QueryStatus query={cdr} label="the CDR" />
      ) : (
        <div className="space-y-6 text-sm">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3">
            <div>
              <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">From → to</dt>
              <dd className="font-mono">
                {c.from ?? '—'} → {c.to ?? '—'}
              </dd>
            </div>
            <div>
              <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">Received</dt>
              <dd>{formatDateTime(c.received_at)}</dd>
            </div>
            <div>
              <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">Duration / billed</dt>
              <dd>
                {formatDuration(c.duration_seconds)} / {formatDuration(c.billsec)}
              </dd>
            </div>
            <div>
              <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">Call record</dt>
              <dd>
                {c.call_record_id ? (
                  <button type="button" className="font-medium text-indigo-700 hover:underline" onClick={() => onOpenCall(c.call_record_id ?? 0)}>
                    Open call #{c.call_record_id}
                  </button>
                ) : (
                  'None matched'
                )}
              </dd>
            </div>
          </dl>
          <JsonBlock value={c.payload} label="Raw CDR payload" />
        </div>
      )}
    </Dialog>
  );
}
