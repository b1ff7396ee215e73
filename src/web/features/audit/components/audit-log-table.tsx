import type { ReactNode } from 'react';
import { JsonBlock } from '../../../components/ui/json-block.js';
import { Table, Td, Th } from '../../../components/ui/table.js';
import { formatDateTime } from '../../../lib/format.js';
import type { AuditLogEntry } from '../api/get-audit-log.js';
import { actionLabel, actorLabel, entityLabel } from '../entity-label.js';
import { DetailsHeader, ExpandableRow } from './expandable-row.js';

/** Configuration changes; open a row to compare the state before and after. */
export function AuditLogTable({ entries, footer }: { entries: readonly AuditLogEntry[]; footer: ReactNode }) {
  return (
    <Table caption="Configuration changes" footer={footer}>
      <thead>
        <tr>
          <DetailsHeader />
          <Th>When</Th>
          <Th>Who</Th>
          <Th>What</Th>
          <Th>Item</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {entries.map((e) => (
          <ExpandableRow
            key={e.id}
            columns={5}
            label={`${actionLabel(e.action)} at ${formatDateTime(e.created_at)}`}
            cells={
              <>
                <Td className="whitespace-nowrap">{formatDateTime(e.created_at)}</Td>
                <Td className="whitespace-nowrap">
                  {actorLabel(e)}
                  {e.ip && <span className="block text-xs text-slate-500">{e.ip}</span>}
                </Td>
                <Td>{actionLabel(e.action)}</Td>
                <Td>
                  <EntityCell entry={e} />
                </Td>
              </>
            }
            details={
              <div className="grid gap-4 lg:grid-cols-2">
                <div>
                  <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Before</p>
                  <JsonBlock value={e.before} label="State before the change" />
                </div>
                <div>
                  <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">After</p>
                  <JsonBlock value={e.after} label="State after the change" />
                </div>
              </div>
            }
          />
        ))}
      </tbody>
    </Table>
  );
}

function EntityCell({ entry }: { entry: AuditLogEntry }) {
  const { kind, name } = entityLabel(entry);
  return (
    <span className={entry.entity_deleted ? 'text-slate-500' : undefined} data-entity={entry.entity_type}>
      <span className="block text-xs text-slate-500">{kind}</span>{' '}
      {name && <span className={entry.entity_deleted ? '' : 'font-medium text-slate-900'}>{name}</span>}
    </span>
  );
}
