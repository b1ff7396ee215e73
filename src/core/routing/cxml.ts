import { escapeUTF8 } from 'entities';

/**
 * CXML documents (Cloudonix's TwiML dialect), built here as text on the hot path
 * (a document builder cost more than the routing decision); every attribute and
 * text goes through one escaping library (`&<>"'`). Verbs are PascalCase, attributes camelCase, as in
 * Cloudonix's documentation. A document always ends with `<Hangup/>` unless it
 * already ends the call.
 */
/** A name and value pair: a SIP header on the agent's INVITE, or a parameter of a media stream. */
export interface CxmlNameValue {
  readonly name: string;
  readonly value: string;
}

export interface DialServiceVerb {
  readonly kind: 'dial_service';
  readonly provider: string;
  /** What goes inside `<Service>`: the agent's number at the provider. */
  readonly serviceValue: string;
  readonly username?: string | null | undefined;
  readonly password?: string | null | undefined;
  /** Where Cloudonix reports the dial outcome (our failover callback). */
  readonly action?: string | undefined;
  readonly timeout?: number | undefined;
  readonly callerId?: string | null | undefined;
  readonly callerName?: string | null | undefined;
  /** `<Header>` nouns: extra SIP headers on the INVITE to the agent. */
  readonly headers?: readonly CxmlNameValue[] | undefined;
  /** Pass the caller's own SIP headers on to the agent (only `true` is written; Cloudonix's default is false). */
  readonly forwardHeaders?: boolean | undefined;
  /** Longest the call may last once answered, in seconds. */
  readonly timeLimit?: number | null | undefined;
}

/**
 * A WebSocket agent: the call's media goes to `url`. With an action, Cloudonix asks
 * it what next when the stream ends, as it does for a Dial.
 */
export interface ConnectStreamVerb {
  readonly kind: 'connect_stream';
  readonly url: string;
  readonly parameters: readonly CxmlNameValue[];
  readonly action?: string | undefined;
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

export type CxmlVerb = DialServiceVerb | ConnectStreamVerb | DialNumberVerb | SayVerb | HangupVerb | RejectVerb;

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

/** Caller-context attributes of a Dial to an agent; each is written only when set, so plain dials keep their bytes. */
function contextAttributes(v: DialServiceVerb): string {
  return attrs([['callerName', v.callerName], ['timeLimit', v.timeLimit], ['forwardHeaders', v.forwardHeaders === true ? 'true' : undefined]]);
}

/** `<Header>` or `<Parameter>` nouns; the value is written even when empty, unlike optional attributes. */
function nameValues(elementName: string, pairs: readonly CxmlNameValue[] | undefined): string {
  let out = '';
  for (const p of pairs ?? []) out += `<${elementName} name="${escapeUTF8(p.name)}" value="${escapeUTF8(p.value)}"/>`;
  return out;
}

function renderVerb(v: CxmlVerb): string {
  switch (v.kind) {
    case 'dial_service':
      return element(
        'Dial',
        dialAttributes(v) + contextAttributes(v),
        nameValues('Header', v.headers) + element('Service', attrs([['provider', v.provider], ['username', v.username], ['password', v.password]]), escapeUTF8(v.serviceValue)),
      );
    case 'connect_stream':
      return element('Connect', attrs([['action', v.action], ['method', v.action ? 'POST' : undefined]]), element('Stream', attrs([['url', v.url]]), nameValues('Parameter', v.parameters)));
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
