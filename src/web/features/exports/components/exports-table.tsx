import { Download } from 'lucide-react';
import type { ReactNode } from 'react';
import { Badge, type Tone } from '../../../components/ui/badge.js';
import { Button } from '../../../components/ui/button.js';
import { ProgressBar } from '../../../components/ui/progress-bar.js';
import { Table, Td, Th } from '../../../components/ui/table.js';
import { formatDate, formatDateTime, formatNumber, humanize } from '../../../lib/format.js';
import { useDownloadExport } from '../api/download-export.js';
import type { Export } from '../api/get-exports.js';

const statusTone: Record<Export['status'], Tone> = { queued: 'gray', running: 'blue', completed: 'green', failed: 'red', expired: 'gray' };

function filterSummary(filters: Record<string, unknown>): string {
  const parts = Object.entries(filters).map(([k, v]) => `${humanize(k).toLowerCase()}: ${String(v)}`);
  return parts.length > 0 ? parts.join(', ') : 'All calls';
}

/** Exports with their progress while running and a download button once completed. */
export function ExportsTable({ exports, footer }: { exports: readonly Export[]; footer?: ReactNode }) {
  const download = useDownloadExport();
  return (
    <>
      {download.error && <p role="alert" className="mb-3 text-sm text-red-700">{download.error.message}</p>}
      <Table caption="Exports" footer={footer}>
        <thead>
          <tr>
            <Th>Export</Th>
            <Th>Requested</Th>
            <Th>Which calls</Th>
            <Th className="w-56">Status</Th>
            <Th className="text-right">Rows</Th>
            <Th>
              <span className="sr-only">Download</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {exports.map((e) => (
            <tr key={e.id} data-export-id={e.id}>
              <Td className="whitespace-nowrap">
                <span className="font-medium text-slate-900">#{e.id}</span> <span className="uppercase text-slate-600">{e.format}</span>
                <p className="text-xs text-slate-600">{e.fields.length} columns</p>
              </Td>
              <Td className="lg:whitespace-nowrap">{formatDateTime(e.created_at)}</Td>
              <Td className="max-w-64 truncate text-xs" title={filterSummary(e.filters)}>
                {filterSummary(e.filters)}
              </Td>
              <Td>
                <div className="flex items-center gap-2">
                  <Badge tone={statusTone[e.status]} dot pulse={e.status === 'running'}>
                    {humanize(e.status)}
                  </Badge>
                  {(e.status === 'running' || e.status === 'queued') && <span className="text-xs tabular-nums text-slate-600">{e.progress}%</span>}
                </div>
                {(e.status === 'running' || e.status === 'queued') && (
                  <div className="mt-2">
                    <ProgressBar value={e.progress} label={`Export #${e.id} progress`} />
                  </div>
                )}
                {e.status === 'failed' && e.error && <p className="mt-1 text-xs text-red-700">{e.error}</p>}
                {e.status === 'completed' && e.expires_at && <p className="mt-1 text-xs text-slate-600">Kept until {formatDate(e.expires_at)}</p>}
              </Td>
              <Td className="text-right tabular-nums">{formatNumber(e.row_count)}</Td>
              <Td className="text-right">
                {e.status === 'completed' && e.download_url && (
                  <Button
                    variant="secondary"
                    loading={download.isPending && download.variables.id === e.id}
                    onClick={() => download.mutate(e)}
                    icon={<Download className="size-4" aria-hidden="true" />}
                    aria-label={`Download export #${e.id} (${e.format.toUpperCase()})`}
                  >
                    Download
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
