import { XMLBuilder } from 'fast-xml-parser';

/**
 * CXML documents (Cloudonix's TwiML dialect), built by one library so every
 * attribute and text is escaped. Verbs are PascalCase, attributes camelCase, as in
 * Cloudonix's documentation. A document always ends with `<Hangup/>` unless it
 * already ends the call.
 */
export interface DialServiceVerb {
  readonly kind: 'dial_service';
  readonly provider: string;
  /** What goes inside `<Service>`: the agent's number at the provider, or a wss:// URL. */
  readonly serviceValue: string;
  readonly username?: string | null | undefined;
  readonly password?: string | null | undefined;
  /** Where Cloudonix reports the dial outcome (our failover callback). */
  readonly action?: string | undefined;
  readonly timeout?: number | undefined;
  readonly callerId?: string | null | undefined;
}

export interface DialNumberVerb {
  readonly kind: 'dial_number';
  readonly number: string;
  /** Trunk names or ids as Cloudonix's `trunks` attribute expects them. */
  readonly trunks?: string | null | undefined;
  readonly callerId?: string | null | undefined;
  readonly action?: string | undefined;
  readonly timeout?: number | undefined;
}

export interface SayVerb {
  readonly kind: 'say';
  readonly text: string;
  readonly voice?: string | undefined;
  readonly language?: string | undefined;
}

export interface HangupVerb {
  readonly kind: 'hangup';
}

export interface RejectVerb {
  readonly kind: 'reject';
  readonly reason?: 'rejected' | 'busy' | 'congestion' | 'failed' | undefined;
}

export type CxmlVerb = DialServiceVerb | DialNumberVerb | SayVerb | HangupVerb | RejectVerb;

interface Element {
  [name: string]: unknown;
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: true,
});

/** Only attributes with a value; values become strings. */
function attrs(values: Record<string, string | number | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') out[`@_${k}`] = String(v);
  return out;
}

function element(name: string, children: unknown[], attributes: Record<string, string> = {}): Element {
  const el: Element = { [name]: children };
  if (Object.keys(attributes).length > 0) el[':@'] = attributes;
  return el;
}

const text = (value: string): Element => ({ '#text': value });

function dialAttributes(v: DialServiceVerb | DialNumberVerb, extra: Record<string, string | undefined | null> = {}) {
  return attrs({ ...extra, callerId: v.callerId, timeout: v.timeout, action: v.action, method: v.action ? 'POST' : undefined });
}

function renderVerb(v: CxmlVerb): Element {
  switch (v.kind) {
    case 'dial_service':
      return element('Dial', [element('Service', [text(v.serviceValue)], attrs({ provider: v.provider, username: v.username, password: v.password }))], dialAttributes(v));
    case 'dial_number':
      return element('Dial', [element('Number', [text(v.number)])], dialAttributes(v, { trunks: v.trunks }));
    case 'say':
      return element('Say', [text(v.text)], attrs({ voice: v.voice, language: v.language }));
    case 'hangup':
      return element('Hangup', []);
    case 'reject':
      return element('Reject', [], attrs({ reason: v.reason }));
  }
}

export function renderCxml(verbs: readonly CxmlVerb[]): string {
  const last = verbs[verbs.length - 1];
  const all = last && (last.kind === 'hangup' || last.kind === 'reject') ? verbs : [...verbs, { kind: 'hangup' } as const];
  return builder.build([
    element('?xml', [text('')], attrs({ version: '1.0', encoding: 'UTF-8' })),
    element('Response', all.map(renderVerb)),
  ]) as string;
}

/** The answer of last resort: valid CXML whatever went wrong. */
export const HANGUP_CXML = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
