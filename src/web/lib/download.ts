import { ApiError } from './api-client.js';
import { getToken } from './auth-store.js';

function filenameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const match = /filename="?([^";]+)"?/i.exec(header);
  return match?.[1] ?? fallback;
}

/**
 * Downloads a file the API serves behind the bearer token: a plain link cannot send
 * the header, so the file is fetched and handed to the browser as a blob.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<string> {
  const token = getToken();
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    let message = `The download failed (${response.status}).`;
    try {
      const body: unknown = await response.json();
      if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object' && body.error !== null && 'message' in body.error) {
        message = String(body.error.message);
      }
    } catch {
      // Not JSON: keep the generic message.
    }
    throw new ApiError(response.status, 'unexpected_response', message);
  }
  const name = filenameOf(response, fallbackName);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
