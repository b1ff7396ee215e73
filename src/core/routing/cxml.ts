import { escapeUTF8 } from 'entities';

/**
 * CXML documents (Cloudonix's TwiML dialect), built here as text on the hot path
 * (a document builder cost more than the routing decision); every attribute and
 * text goes through one escaping library (`&<>"'`). Verbs are PascalCase, attributes camelCase, as in
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

type AttributeValue = string | number | null | undefined;

/** ` name="value"` for each attribute with a value, in order; values escaped. */
function attrs(values: readonly (readonly [string, AttributeValue])[]): string {
  let out = '';
  for (const [name, v] of values) if (v !== undefined && v !== null && v !== '') out += ` ${name}="${escapeUTF8(String(v))}"`;
  return out;
}

function element(name: string, attributes: string, content = ''): string {
  return content === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${content}</${name}>`;
}

function dialAttributes(v: DialServiceVerb | DialNumberVerb, trunks?: string | null): string {
  return attrs([['trunks', trunks], ['callerId', v.callerId], ['timeout', v.timeout], ['action', v.action], ['method', v.action ? 'POST' : undefined]]);
}

function renderVerb(v: CxmlVerb): string {
  switch (v.kind) {
    case 'dial_service':
      return element('Dial', dialAttributes(v), element('Service', attrs([['provider', v.provider], ['username', v.username], ['password', v.password]]), escapeUTF8(v.serviceValue)));
    case 'dial_number':
      return element('Dial', dialAttributes(v, v.trunks), element('Number', '', escapeUTF8(v.number)));
    case 'say':
      return element('Say', attrs([['voice', v.voice], ['language', v.language]]), escapeUTF8(v.text));
    case 'hangup':
      return element('Hangup', '');
    case 'reject':
      return element('Reject', attrs([['reason', v.reason]]));
  }
}

export function renderCxml(verbs: readonly CxmlVerb[]): string {
  const last = verbs[verbs.length - 1];
  const all = last && (last.kind === 'hangup' || last.kind === 'reject') ? verbs : [...verbs, { kind: 'hangup' } as const];
  return `<?xml version="1.0" encoding="UTF-8"?>${element('Response', '', all.map(renderVerb).join(''))}`;
}

/** The answer of last resort: valid CXML whatever went wrong. */
export const HANGUP_CXML = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
