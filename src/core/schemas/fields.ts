import { z } from 'zod';
import './error-messages.js';

/** Field schemas shared by the API and the web forms, so both refuse the same input. */
export const emailField = z
  .email({ message: 'must be a valid email address' })
  .max(254)
  .transform((v) => v.toLowerCase());

/** A new password's length; whether it is too common is checked by the server (core/password-policy.ts). */
export const passwordField = z
  .string()
  .min(10, { message: 'must be at least 10 characters' })
  .max(128, { message: 'must be at most 128 characters' });

export const personNameField = z.string().trim().min(1, { message: 'is required' }).max(120);

/** A Cloudonix domain name such as `acme.cloudonix.net`: DNS labels, compared lower-case. */
export const domainField = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, {
    message: 'must be a domain name such as acme.cloudonix.net',
  });

/**
 * What a person pasted where a domain belongs, reduced to the host name:
 * `https://acme.cloudonix.net/`, `acme.cloudonix.net:443/x?y` and `user@acme.cloudonix.net` → `acme.cloudonix.net`.
 */
export function domainFromInput(raw: string): string {
  let host = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  host = host.split(/[/?#]/, 1)[0] ?? '';
  host = host.slice(host.lastIndexOf('@') + 1).replace(/:\d*$/, '').replace(/\.$/, '');
  return host;
}

/** A domain typed or pasted by a person (registration, settings, the CLI): a URL is trimmed to its host, then checked as a domain. */
export const domainInputField = z
  .string()
  .max(2000)
  .transform(domainFromInput)
  .pipe(domainField)
  .meta({ description: 'A domain name such as acme.cloudonix.net; a pasted URL is trimmed to its host (https://acme.cloudonix.net/ is kept as acme.cloudonix.net).' });

export const idParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

export const paginationQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(20),
});
export type Pagination = z.infer<typeof paginationQuery>;

/** Names already judged: a tenant's settings are read (and checked) per request, and building a formatter to check one is slow. */
const judgedTimeZones = new Map<string, boolean>();

export function isValidTimeZone(tz: string): boolean {
  let valid = judgedTimeZones.get(tz);
  if (valid !== undefined) return valid;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    valid = true;
  } catch {
    valid = false;
  }
  // Bounded, in count and length: anyone may send a name; one not kept is judged again.
  if (judgedTimeZones.size < 1_000 && tz.length <= 64) judgedTimeZones.set(tz, valid);
  return valid;
}

/** An IANA time zone name such as Europe/London, as the runtime's time zone database knows it. */
export const timeZoneField = z
  .string()
  .trim()
  .max(64)
  .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/London' })
  .meta({ description: 'An IANA time zone such as Europe/London (the browser gives it as Intl.DateTimeFormat().resolvedOptions().timeZone).' });
