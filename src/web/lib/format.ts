/** Display helpers shared by every page: one way to show a time, a duration, a rate. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const dateOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const dateMedium = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dayWithYear = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const integer = new Intl.NumberFormat();

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateMedium.format(d);
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeOnly.format(d);
}

/** `2026-11-24` (a local calendar day from the API) as "Nov 24", without a time-zone shift. */
export function formatDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : dateOnly.format(d);
}

/** `2026-11-24` as "Nov 24, 2026" (a local calendar day, read in UTC so it never shifts). */
export function formatDayWithYear(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : dayWithYear.format(d);
}

/** 75 → "1:15", 3725 → "1:02:05"; null → "—". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

// English, like the sentences around it ("last received 3 minutes ago").
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/** How long ago `iso` was, from `now` (ms): "just now", "3 minutes ago", "2 hours ago", "1 day ago". */
export function formatTimeAgo(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return relative.format(-hours, 'hour');
  return relative.format(-Math.floor(hours / 24), 'day');
}

/** `1 call`, `3 calls`. */
export function plural(n: number, word: string): string {
  return `${integer.format(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function formatNumber(n: number): string {
  return integer.format(n);
}

export function formatPercent(n: number): string {
  return `${n.toFixed(1).replace(/\.0$/, '')}%`;
}

/** A machine word for people: `no_answer` → "No answer", `call.dial_result` → "Call dial result". */
export function humanize(word: string): string {
  const text = word
    .replace(/[._-]+/g, ' ')
    .trim()
    .replace(/\b(cdr|ok|id|ip|url)\b/gi, (w) => w.toUpperCase());
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Today, or `offset` days from it, as YYYY-MM-DD in the browser's zone. */
export function isoDay(offset = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
