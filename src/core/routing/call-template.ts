/**
 * Templates filled per call: `{session}`, `{from}`… in a WebSocket URL, a SIP header
 * value, a caller name or a stream parameter. Only the names below are filled; anything
 * else in braces is refused when the template is written, so a typo never reaches a call.
 */
export const CALL_PLACEHOLDERS = ['session', 'from', 'to', 'domain', 'caller_name', 'direction'] as const;
export type CallPlaceholder = (typeof CALL_PLACEHOLDERS)[number];

/** What each placeholder holds, for help texts in the API and the UI. */
export const CALL_PLACEHOLDER_HELP: Readonly<Record<CallPlaceholder, string>> = {
  session: "the call's Cloudonix session token",
  from: "the caller's number",
  to: 'the dialled number',
  domain: 'your Cloudonix domain',
  caller_name: "the caller's display name, when the network gives one",
  direction: 'inbound or outbound',
};

/** The values of one call; absent ones fill as empty text. */
export type CallVariables = Readonly<Partial<Record<CallPlaceholder, string | null | undefined>>>;

/** Values that look like a real call's, for checking what a template becomes. */
export const SAMPLE_CALL_VARIABLES: Readonly<Record<CallPlaceholder, string>> = {
  session: 'a1b2c3d4e5f6',
  from: '+14155550123',
  to: '+12125550187',
  domain: 'acme.cloudonix.net',
  caller_name: 'Jane Doe',
  direction: 'inbound',
};

// No braces or whitespace inside: "{ a b }" or "{{" is text, not a placeholder.
const PLACEHOLDER = /\{([^{}\s]*)\}/g;
const KNOWN: ReadonlySet<string> = new Set(CALL_PLACEHOLDERS);

export function isCallPlaceholder(name: string): name is CallPlaceholder {
  return KNOWN.has(name);
}

/** The names in braces in a template, in order of first appearance, each once. */
export function placeholdersIn(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) names.add(match[1] ?? '');
  return [...names];
}

/** Placeholders of the template that are not filled per call. */
export function unknownPlaceholders(template: string): string[] {
  return placeholdersIn(template).filter((name) => !isCallPlaceholder(name));
}

/** `{session}, {from}, …`: the placeholders a template may use, as a user reads them. */
export function listPlaceholders(names: readonly string[] = CALL_PLACEHOLDERS): string {
  return names.map((n) => `{${n}}`).join(', ');
}

/** Why a template cannot be filled per call, naming its unknown placeholders; undefined when it can. */
export function templateProblem(template: string): string | undefined {
  const unknown = unknownPlaceholders(template);
  if (unknown.length === 0) return undefined;
  const what = unknown.length === 1 ? 'placeholder' : 'placeholders';
  return `has the unknown ${what} ${listPlaceholders(unknown)}; the placeholders filled per call are ${listPlaceholders()}`;
}

// Caller-supplied text (a display name) must not end a SIP header line or break the XML.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
// A lone surrogate makes encodeURIComponent throw and is not valid UTF-8 text anyway.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function cleanValue(value: string | null | undefined): string {
  return (value ?? '').replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL_CHARACTERS, ' ');
}

export interface FillOptions {
  /** `url`: values are URI-component encoded, for a template that is a URL. */
  readonly encode: 'url' | 'none';
}

/**
 * The template with each known placeholder replaced by the call's value. Values never
 * bring control characters (line breaks) along; unknown placeholders are left as written.
 */
export function fillTemplate(template: string, vars: CallVariables, options: FillOptions): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!isCallPlaceholder(name)) return whole;
    const value = cleanValue(vars[name]);
    return options.encode === 'url' ? encodeURIComponent(value) : value;
  });
}
