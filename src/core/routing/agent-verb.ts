import type { ProviderTransport } from '../providers.js';
import type { DialOptions } from '../schemas/dial-options.js';
import { fillTemplate, type CallVariables } from './call-template.js';
import type { ConnectStreamVerb, CxmlNameValue, DialServiceVerb } from './cxml.js';

/** The call as the agent is told about it: the values of the `{placeholders}`. */
export interface AgentCall {
  readonly session: string;
  readonly from: string | null;
  readonly to: string | null;
  /** The tenant's Cloudonix domain. */
  readonly domain: string;
  readonly callerName?: string | null | undefined;
  /** `inbound` or `outbound`. */
  readonly direction: string;
}

/** What of an agent the verb needs; `AgentRoute` of the routing configuration fits. */
export interface AgentVerbAgent {
  readonly provider: string;
  readonly transport: ProviderTransport;
  /** An E.164 number for SIP providers; a wss:// URL template for WebSocket ones. */
  readonly serviceValue: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly dialOptions: DialOptions | null;
}

export interface AgentVerbInput {
  readonly agent: AgentVerbAgent;
  /** The options of the group the agent was chosen from, if any; the agent's own win per field. */
  readonly groupOptions?: DialOptions | null | undefined;
  readonly call: AgentCall;
  /** Where Cloudonix reports the outcome (the failover callback). */
  readonly action: string;
  /** Ring time in seconds (SIP agents only). */
  readonly timeout: number;
}

/** Group entries first, in their order; an agent entry with the same name replaces the group's in place. */
function mergeByName(group: readonly CxmlNameValue[] | undefined, agent: readonly CxmlNameValue[] | undefined, ignoreCase: boolean): CxmlNameValue[] {
  const key = (name: string) => (ignoreCase ? name.toLowerCase() : name);
  const merged = new Map<string, CxmlNameValue>();
  for (const entry of [...(group ?? []), ...(agent ?? [])]) merged.set(key(entry.name), entry);
  return [...merged.values()];
}

/** The options in force for one agent: each field the agent leaves unset comes from the group. */
export function mergeDialOptions(agent: DialOptions | null | undefined, group: DialOptions | null | undefined): DialOptions {
  const a = agent ?? {};
  const g = group ?? {};
  const pick = <K extends keyof DialOptions>(k: K): DialOptions[K] => (a[k] !== undefined ? a[k] : g[k]);
  return {
    // SIP header names compare without case; stream parameter names as written.
    headers: mergeByName(g.headers, a.headers, true),
    forward_headers: pick('forward_headers'),
    time_limit_seconds: pick('time_limit_seconds'),
    caller_id: pick('caller_id'),
    caller_name: pick('caller_name'),
    stream_parameters: mergeByName(g.stream_parameters, a.stream_parameters, false),
  };
}

function variablesOf(call: AgentCall): CallVariables {
  return { session: call.session, from: call.from, to: call.to, domain: call.domain, caller_name: call.callerName, direction: call.direction };
}

/** Entries filled for the call; one whose value comes out empty (a caller without a name) is left out. */
function fillEntries(entries: readonly CxmlNameValue[] | undefined, vars: CallVariables): CxmlNameValue[] {
  const out: CxmlNameValue[] = [];
  for (const { name, value } of entries ?? []) {
    const filled = fillTemplate(value, vars, { encode: 'none' }).trim();
    if (filled !== '') out.push({ name, value: filled });
  }
  return out;
}

function fillOptional(template: string | null | undefined, vars: CallVariables): string | undefined {
  if (!template) return undefined;
  const filled = fillTemplate(template, vars, { encode: 'none' }).trim();
  return filled === '' ? undefined : filled;
}

/**
 * The verb that sends a call to an agent. SIP providers get `<Dial><Header/>…<Service>`
 * with the caller-context attributes; WebSocket providers get `<Connect><Stream>` with
 * the URL's placeholders filled (URL-encoded) and the stream parameters. Values from the
 * call (a caller's display name) are escaped when the document is written.
 */
export function agentVerb({ agent, groupOptions, call, action, timeout }: AgentVerbInput): DialServiceVerb | ConnectStreamVerb {
  const options = mergeDialOptions(agent.dialOptions, groupOptions);
  const vars = variablesOf(call);
  if (agent.transport === 'websocket') {
    return {
      kind: 'connect_stream',
      url: fillTemplate(agent.serviceValue, vars, { encode: 'url' }),
      parameters: fillEntries(options.stream_parameters, vars),
      action,
    };
  }
  const headers = fillEntries(options.headers, vars);
  const verb: DialServiceVerb = {
    kind: 'dial_service',
    provider: agent.provider,
    serviceValue: agent.serviceValue,
    username: agent.username,
    password: agent.password,
    action,
    timeout,
    callerId: fillOptional(options.caller_id, vars),
    callerName: fillOptional(options.caller_name, vars),
  };
  return Object.assign(
    verb,
    headers.length > 0 ? { headers } : undefined,
    options.forward_headers === true ? { forwardHeaders: true } : undefined,
    options.time_limit_seconds ? { timeLimit: options.time_limit_seconds } : undefined,
  );
}
