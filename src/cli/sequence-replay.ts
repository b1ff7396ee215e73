import { legOf, readCxml, type CxmlSummary } from './simulate-cxml.js';
import { fillSequenceValue, type SequenceFile, type SequenceStep } from './sequence-file.js';

/** One HTTP request of a replay; the path holds the query. */
export interface ReplayRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}
export interface ReplayResponse {
  status: number;
  body: string;
}
/** Sends a request to the service: over HTTP for the simulator, through `inject` in tests. */
export type ReplaySender = (request: ReplayRequest) => Promise<ReplayResponse>;

export interface ReplayOptions {
  domain: string;
  secret: string;
  session: string;
  /** The call's start, epoch ms: `{{t}}` in the file. */
  t: number;
  send: ReplaySender;
  /** What each setup key's answer looks like: its number, or the start of its WebSocket URL. */
  agentTargets?: Readonly<Record<string, string>>;
}

export interface ReplayedStep {
  index: number;
  step: SequenceStep;
  request: ReplayRequest;
  response: ReplayResponse;
  cxml: CxmlSummary | null;
  /** What did not match the step's `expect`; empty when all did. */
  mismatches: string[];
}

const PATHS = { voice: 'application', session: 'session/update', cdr: 'session/cdr' } as const;

function withoutToken(pathAndQuery: string): string {
  const u = new URL(pathAndQuery, 'http://replay.invalid');
  u.searchParams.delete('token');
  return `${u.pathname}${u.search}`;
}

function withToken(pathAndQuery: string, secret: string): string {
  const u = new URL(pathAndQuery, 'http://replay.invalid');
  u.searchParams.set('token', secret);
  return `${u.pathname}${u.search}`;
}

function encodeBody(body: unknown, contentType: string | null): string | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return body;
  if (contentType?.includes('x-www-form-urlencoded') && typeof body === 'object' && !Array.isArray(body)) {
    return new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
  }
  return JSON.stringify(body);
}

/** The request a step makes, given the action URL of the last leg the service started. */
function requestOf(step: SequenceStep, o: ReplayOptions, lastAction: string | null): ReplayRequest {
  const body = fillSequenceValue(step.body, { session: o.session, domain: o.domain, t: o.t });
  const auth = step.auth ?? (step.send === 'voice' || step.send === 'callback' ? 'bearer' : 'query');
  let path: string;
  if (step.send === 'callback') {
    if (!lastAction) throw new Error('a callback step needs a Dial or Connect with an action before it');
    const u = new URL(lastAction, 'http://replay.invalid');
    path = `${u.pathname}${u.search}`;
  } else {
    path = `/api/voice/${PATHS[step.send]}/${encodeURIComponent(o.domain)}`;
  }
  // The action URL carries the token Cloudonix would send back; other ways of authenticating go without it.
  path = auth === 'query' ? withToken(path, o.secret) : step.send === 'callback' && auth === 'bearer' ? path : withoutToken(path);
  const headers: Record<string, string> = {};
  if (step.content_type !== null) headers['content-type'] = step.content_type;
  if (auth === 'bearer') headers.authorization = `Bearer ${o.secret}`;
  if (auth === 'x-cx-apikey') headers['x-cx-apikey'] = o.secret;
  return { method: 'POST', path, headers, body: encodeBody(body, step.content_type) };
}

function check(step: SequenceStep, response: ReplayResponse, cxml: CxmlSummary | null, o: ReplayOptions): string[] {
  const targets = o.agentTargets ?? {};
  const e = step.expect;
  const out: string[] = [];
  const expectedStatus = e?.status ?? 200;
  if (response.status !== expectedStatus) out.push(`status ${response.status}, expected ${expectedStatus}: ${response.body.slice(0, 200)}`);
  if (!e) return out;
  if (e.answer) {
    const kind = !cxml ? 'not CXML' : cxml.dial ? 'dial' : cxml.connect ? 'connect' : cxml.reject ? 'reject' : cxml.say !== null ? 'say' : cxml.hangup ? 'hangup' : 'nothing';
    if (kind !== e.answer) out.push(`answered ${kind}, expected ${e.answer}`);
  }
  if (e.agent !== undefined) {
    const want = targets[e.agent];
    const got = cxml?.dial?.target ?? cxml?.connect?.url ?? null;
    if (want === undefined) out.push(`no setup agent ${e.agent}`);
    else if (got === null || !got.startsWith(want)) out.push(`reached ${got ?? 'nobody'}, expected agent ${e.agent} (${want})`);
  }
  for (const text of e.contains ?? []) {
    const filled = String(fillSequenceValue(text, { session: o.session, domain: o.domain, t: o.t }));
    if (!response.body.includes(filled)) out.push(`answer lacks ${filled}`);
  }
  return out;
}

/**
 * Plays one call of a sequence file against the service, step by step, following
 * its answers (a callback goes to the last action URL), and says what did not
 * match each step's expectations. Throws only when it cannot go on.
 */
export async function replaySequence(file: SequenceFile, o: ReplayOptions): Promise<ReplayedStep[]> {
  const played: ReplayedStep[] = [];
  let lastAction: string | null = null;
  for (const [index, step] of file.steps.entries()) {
    for (let n = 0; n < step.times; n++) {
      const request = requestOf(step, o, lastAction);
      const response = await o.send(request);
      let cxml: CxmlSummary | null = null;
      if (step.send === 'voice' || step.send === 'callback') {
        try {
          cxml = readCxml(response.body);
        } catch {
          cxml = null;
        }
        const action = cxml ? legOf(cxml)?.action : null;
        if (action) lastAction = action;
      }
      played.push({ index, step, request, response, cxml, mismatches: check(step, response, cxml, o) });
    }
  }
  return played;
}
