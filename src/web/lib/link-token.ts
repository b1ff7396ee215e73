/** The token of an emailed link, kept after `#` so it never reaches a server log. */
export function linkToken(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}
