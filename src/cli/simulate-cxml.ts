import { XMLParser } from 'fast-xml-parser';

type DialNoun = 'Service' | 'Number' | 'Sip' | 'Client' | 'Conference';

/** What a CXML answer tells Cloudonix to do, as far as the simulator cares. */
export interface CxmlSummary {
  /** The `<Dial>`, when the document dials something. */
  dial: { noun: DialNoun; provider: string | null; target: string; action: string | null; method: string; timeoutSeconds: number | null } | null;
  /** The `<Connect><Stream url="wss://…"/></Connect>` of a WebSocket agent. */
  connect: { url: string; action: string | null; method: string } | null;
  hangup: boolean;
  reject: boolean;
  /** `<Reject reason="…">`, when given. */
  rejectReason: string | null;
  say: string | null;
}

/** One call leg to an agent or a number: a `<Dial>` or a `<Connect>`, whose action gets the outcome. */
export interface AgentLeg {
  verb: 'Dial' | 'Connect';
  /** `vapi +12125551001`, `number +4420…`, `websocket wss://…`. */
  label: string;
  action: string | null;
  method: 'GET' | 'POST';
  /** The Dial's ring timeout; null when the answer sets none (Connect never does). */
  timeoutSeconds: number | null;
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

const NOUNS: readonly DialNoun[] = ['Service', 'Number', 'Sip', 'Client', 'Conference'];

function readDial(dialNode: Node): NonNullable<CxmlSummary['dial']> {
  const noun = NOUNS.find((n) => n in dialNode);
  const nounNode = noun ? dialNode[noun] : undefined;
  const timeout = Number(attr(dialNode, 'timeout'));
  return {
    noun: noun ?? 'Number',
    provider: attr(asNode(nounNode), 'provider'),
    target: noun ? textOf(nounNode) : textOf(dialNode),
    action: attr(dialNode, 'action'),
    method: (attr(dialNode, 'method') ?? 'POST').toUpperCase(),
    timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : null,
  };
}

/** Parses a CXML document; throws when it is not one (no `<Response>`). */
export function readCxml(xml: string): CxmlSummary {
  const doc = asNode(parser.parse(xml));
  if (!doc || !('Response' in doc)) throw new Error('the answer is not a CXML document (no <Response>)');
  const response = asNode(doc.Response) ?? {};
  const dialNode = asNode(response.Dial);
  const connectNode = asNode(response.Connect);
  const streamNode = asNode(connectNode?.Stream);
  const rejectNode = asNode(response.Reject);
  return {
    dial: dialNode ? readDial(dialNode) : null,
    connect: connectNode ? { url: attr(streamNode, 'url') ?? '', action: attr(connectNode, 'action'), method: (attr(connectNode, 'method') ?? 'POST').toUpperCase() } : null,
    hangup: 'Hangup' in response,
    reject: 'Reject' in response,
    rejectReason: attr(rejectNode, 'reason'),
    say: 'Say' in response ? textOf(response.Say) : null,
  };
}

/** The agent (or number) leg the answer starts, if any; a `<Dial>` wins over a `<Connect>`. */
export function legOf(s: CxmlSummary): AgentLeg | null {
  const method = (m: string): 'GET' | 'POST' => (m === 'GET' ? 'GET' : 'POST');
  if (s.dial) {
    const label = `${s.dial.provider ?? s.dial.noun.toLowerCase()} ${s.dial.target}`;
    return { verb: 'Dial', label, action: s.dial.action, method: method(s.dial.method), timeoutSeconds: s.dial.timeoutSeconds };
  }
  if (s.connect) return { verb: 'Connect', label: `websocket ${s.connect.url}`, action: s.connect.action, method: method(s.connect.method), timeoutSeconds: null };
  return null;
}

/** One line: `vapi +12125551001`, `number +442071234567`, `websocket wss://…`, `hangup`, `say "…" then hangup`. */
export function describeCxml(s: CxmlSummary): string {
  const leg = legOf(s);
  if (leg) return leg.label;
  const parts: string[] = [];
  if (s.say !== null) parts.push(`say "${s.say}"`);
  if (s.reject) parts.push(s.rejectReason ? `reject ${s.rejectReason}` : 'reject');
  if (s.hangup) parts.push('hangup');
  return parts.length ? parts.join(' then ') : 'nothing to do';
}

/** The `attempt` query parameter of an action URL, when there is one. */
export function attemptOf(action: string | null): string | null {
  if (!action) return null;
  try {
    return new URL(action, 'http://localhost').searchParams.get('attempt');
  } catch {
    return null;
  }
}
