import { useMutation } from '@tanstack/react-query';
import { downloadFile } from '../../../lib/download.js';
import type { Export } from './get-exports.js';

/** Saves a completed export's file (`calls-<id>.csv`) through the browser. */
export function downloadExport(e: Pick<Export, 'id' | 'format'>): Promise<string> {
  return downloadFile(`/api/exports/${e.id}/download`, `calls-${e.id}.${e.format}`);
}

export function useDownloadExport() {
  return useMutation({ mutationFn: downloadExport });
}
