import { XMLParser } from 'fast-xml-parser';

/** What a CXML answer tells Cloudonix to do, as far as the simulator cares. */
export interface CxmlSummary {
  /** The `<Dial>`, when the document dials something. */
  dial: { noun: 'Service' | 'Number' | 'Sip' | 'Client' | 'Conference'; provider: string | null; target: string; action: string | null; method: string } | null;
  hangup: boolean;
  reject: boolean;
  say: string | null;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Numbers stay text: "+12125551001" is a phone number, not 12125551001.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

type Node = Record<string, unknown>;

function asNode(v: unknown): Node | null {
  if (Array.isArray(v)) return asNode(v[0]);
  return v !== null && typeof v === 'object' ? (v as Node) : null;
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  const node = asNode(v);
  const t = node?.['#text'];
  return typeof t === 'string' ? t : '';
}

function attr(node: Node | null, name: string): string | null {
  const v = node?.[`@_${name}`];
  return typeof v === 'string' ? v : null;
}

const NOUNS = ['Service', 'Number', 'Sip', 'Client', 'Conference'] as const;

/** Parses a CXML document; throws when it is not one (no `<Response>`). */
export function readCxml(xml: string): CxmlSummary {
  const doc = asNode(parser.parse(xml));
  if (!doc || !('Response' in doc)) throw new Error('the answer is not a CXML document (no <Response>)');
  const response = asNode(doc.Response) ?? {};
  const dialNode = asNode(response.Dial);
  let dial: CxmlSummary['dial'] = null;
  if (dialNode) {
    const noun = NOUNS.find((n) => n in dialNode);
    const nounNode = noun ? dialNode[noun] : undefined;
    dial = {
      noun: noun ?? 'Number',
      provider: attr(asNode(nounNode), 'provider'),
      target: noun ? textOf(nounNode) : textOf(dialNode),
      action: attr(dialNode, 'action'),
      method: (attr(dialNode, 'method') ?? 'POST').toUpperCase(),
    };
  }
  return { dial, hangup: 'Hangup' in response, reject: 'Reject' in response, say: 'Say' in response ? textOf(response.Say) : null };
}

/** One line: `vapi +12125551001`, `number +442071234567`, `hangup`, `say "…" then hangup`. */
export function describeCxml(s: CxmlSummary): string {
  if (s.dial) return `${s.dial.provider ?? s.dial.noun.toLowerCase()} ${s.dial.target}`;
  const parts: string[] = [];
  if (s.say !== null) parts.push(`say "${s.say}"`);
  if (s.reject) parts.push('reject');
  if (s.hangup) parts.push('hangup');
  return parts.length ? parts.join(' then ') : 'nothing to do';
}

/** The `attempt` query parameter of an action URL, when there is one. */
export function attemptOf(action: string | null): string | null {
  if (!action) return null;
  try {
    return new URL(action).searchParams.get('attempt');
  } catch {
    return null;
  }
}
