/** The list envelope every paginated endpoint answers with. */
export interface PageMeta {
  current_page: number;
  per_page: number;
  total: number;
  last_page: number;
  /** Lists of calls, CDRs and webhooks count up to 10,000 matches; true when there are more. */
  total_capped?: boolean;
}

export interface Paged<T> {
  data: T[];
  meta: PageMeta;
}

type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=x` from an object, leaving out empty values; '' when nothing is left. */
export function toQueryString(params: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
