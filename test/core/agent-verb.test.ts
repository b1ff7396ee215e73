import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { agentVerb, mergeDialOptions, type AgentVerbInput } from '../../src/core/routing/agent-verb.js';
import { renderCxml } from '../../src/core/routing/cxml.js';
import type { DialOptions } from '../../src/core/schemas/dial-options.js';

const parse = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: false, isArray: (name) => name === 'Header' || name === 'Parameter' }).parse(xml);

const ACTION = 'https://lb.example.org/api/voice/application/acme.cloudonix.net?attempt=1&token=s';
const call = { session: 'sess-42', from: '+14155550123', to: '+12125550187', domain: 'acme.cloudonix.net', callerName: 'Jane Doe', direction: 'inbound' };
const sipAgent = { provider: 'vapi', transport: 'sip', serviceValue: '+12125550999', username: null, password: null, dialOptions: null } as const;
const wsAgent = { provider: 'deepdub', transport: 'websocket', serviceValue: 'wss://bot.deepdub.dev/ws/bot/tok?session={session}&from={from}&to={to}', username: 'u', password: 'p', dialOptions: null } as const;

function input(over: Partial<AgentVerbInput> = {}): AgentVerbInput {
  return { agent: sipAgent, call, action: ACTION, timeout: 30, ...over };
}

describe('agentVerb: SIP agents', () => {
  it('without options gives exactly the plain Service dial of before', () => {
    const xml = renderCxml([agentVerb(input({ agent: { ...sipAgent, username: 'user', password: 'pw' } }))]);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="30" action="https://lb.example.org/api/voice/application/acme.cloudonix.net?attempt=1&amp;token=s" method="POST">' +
        '<Service provider="vapi" username="user" password="pw">+12125550999</Service></Dial><Hangup/></Response>',
    );
  });

  it('puts headers before the Service noun and the caller context on the Dial', () => {
    const options: DialOptions = {
      headers: [{ name: 'X-Caller', value: '{from}' }, { name: 'X-Line', value: '{to} via {domain}' }, { name: 'X-Session', value: '{session}' }],
      forward_headers: true,
      time_limit_seconds: 600,
      caller_id: '{to}',
      caller_name: 'Acme: {caller_name}',
    };
    const xml = renderCxml([agentVerb(input({ agent: { ...sipAgent, dialOptions: options } }))]);
    expect(xml).toContain(
      '<Dial callerId="+12125550187" timeout="30" action="https://lb.example.org/api/voice/application/acme.cloudonix.net?attempt=1&amp;token=s" method="POST" callerName="Acme: Jane Doe" timeLimit="600" forwardHeaders="true">' +
        '<Header name="X-Caller" value="+14155550123"/><Header name="X-Line" value="+12125550187 via acme.cloudonix.net"/><Header name="X-Session" value="sess-42"/><Service provider="vapi">',
    );
  });

  it('writes forwardHeaders only when true, and no time limit when null', () => {
    const verb = agentVerb(input({ agent: { ...sipAgent, dialOptions: { forward_headers: false, time_limit_seconds: null, caller_id: null, caller_name: null, headers: [] } } }));
    const xml = renderCxml([verb]);
    expect(xml).not.toMatch(/forwardHeaders|timeLimit|callerId|callerName|<Header/);
  });

  it('escapes a hostile caller name everywhere it lands and strips line breaks', () => {
    const hostile = `"/><Hangup/><Dial x="&amp;'\r\nX-Evil: 1`;
    const options: DialOptions = { headers: [{ name: 'X-Name', value: '{caller_name}' }], caller_name: '{caller_name}' };
    const xml = renderCxml([agentVerb(input({ agent: { ...sipAgent, dialOptions: options }, call: { ...call, callerName: hostile } }))]);
    expect(xml.match(/<Hangup\/>/g)).toHaveLength(1);
    expect(xml).not.toMatch(/[\r\n]/);
    const dial = parse(xml).Response.Dial;
    const expected = hostile.replace(/[\r\n]/g, ' ');
    expect(dial.callerName).toBe(expected);
    expect(dial.Header[0]).toEqual({ name: 'X-Name', value: expected });
    expect(dial.Service['#text']).toBe('+12125550999');
  });

  it('leaves out headers and caller names that come out empty', () => {
    const options: DialOptions = { headers: [{ name: 'X-Name', value: '{caller_name}' }, { name: 'X-To', value: '{to}' }], caller_name: '{caller_name}', caller_id: '{from}' };
    const verb = agentVerb(input({ agent: { ...sipAgent, dialOptions: options }, call: { ...call, callerName: null, from: null } }));
    expect(verb).toMatchObject({ kind: 'dial_service', headers: [{ name: 'X-To', value: '+12125550187' }], callerName: undefined, callerId: undefined });
  });

  it("takes the group's options where the agent sets none, and the agent's where it does", () => {
    const group: DialOptions = {
      headers: [{ name: 'X-Tenant', value: '{domain}' }, { name: 'X-Queue', value: 'sales' }],
      forward_headers: true,
      time_limit_seconds: 300,
      caller_id: '+12125550100',
      caller_name: 'Group',
    };
    const agent: DialOptions = { headers: [{ name: 'x-queue', value: 'vip' }, { name: 'X-Agent', value: 'a1' }], time_limit_seconds: null, caller_name: 'Agent' };
    const verb = agentVerb(input({ agent: { ...sipAgent, dialOptions: agent }, groupOptions: group }));
    expect(verb).toMatchObject({
      headers: [{ name: 'X-Tenant', value: 'acme.cloudonix.net' }, { name: 'x-queue', value: 'vip' }, { name: 'X-Agent', value: 'a1' }],
      forwardHeaders: true,
      callerId: '+12125550100',
      callerName: 'Agent',
    });
    // The agent's explicit null lifts the group's limit.
    expect(verb).not.toHaveProperty('timeLimit');
    expect(agentVerb(input({ groupOptions: group }))).toMatchObject({ timeLimit: 300, callerName: 'Group' });
  });
});

describe('agentVerb: WebSocket agents', () => {
  it('connects a stream with the URL filled per call (URL-encoded) and the parameters, then hangs up', () => {
    const options: DialOptions = { stream_parameters: [{ name: 'caller', value: '{from}' }, { name: 'name', value: '{caller_name}' }, { name: 'static', value: 'v1' }] };
    const verb = agentVerb(input({ agent: { ...wsAgent, dialOptions: options }, call: { ...call, callerName: 'A & B <c>' } }));
    expect(verb).toEqual({
      kind: 'connect_stream',
      url: 'wss://bot.deepdub.dev/ws/bot/tok?session=sess-42&from=%2B14155550123&to=%2B12125550187',
      parameters: [{ name: 'caller', value: '+14155550123' }, { name: 'name', value: 'A & B <c>' }, { name: 'static', value: 'v1' }],
      action: ACTION,
    });
    expect(renderCxml([verb])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        '<Connect action="https://lb.example.org/api/voice/application/acme.cloudonix.net?attempt=1&amp;token=s" method="POST">' +
        '<Stream url="wss://bot.deepdub.dev/ws/bot/tok?session=sess-42&amp;from=%2B14155550123&amp;to=%2B12125550187">' +
        '<Parameter name="caller" value="+14155550123"/><Parameter name="name" value="A &amp; B &lt;c&gt;"/><Parameter name="static" value="v1"/>' +
        '</Stream></Connect><Hangup/></Response>',
    );
  });

  it('writes a bare Stream when there are no parameters, and ignores SIP-only options and credentials', () => {
    const group: DialOptions = { headers: [{ name: 'X-A', value: '1' }], time_limit_seconds: 60, caller_id: '{from}', stream_parameters: [{ name: 'tenant', value: '{domain}' }] };
    const bare = renderCxml([agentVerb(input({ agent: { ...wsAgent, serviceValue: 'wss://agents.assemblyai.com/v1/ws' } }))]);
    expect(bare).toContain('<Stream url="wss://agents.assemblyai.com/v1/ws"/></Connect><Hangup/>');
    const xml = renderCxml([agentVerb(input({ agent: wsAgent, groupOptions: group }))]);
    expect(xml).not.toMatch(/Header|timeLimit|callerId|username|password|Service|Dial/);
    expect(parse(xml).Response.Connect.Stream.Parameter).toEqual([{ name: 'tenant', value: 'acme.cloudonix.net' }]);
  });

  it('merges stream parameters by exact name, the agent winning', () => {
    const merged = mergeDialOptions({ stream_parameters: [{ name: 'lang', value: 'fr' }, { name: 'Lang', value: 'de' }] }, { stream_parameters: [{ name: 'lang', value: 'en' }, { name: 'x', value: '1' }] });
    expect(merged.stream_parameters).toEqual([{ name: 'lang', value: 'fr' }, { name: 'x', value: '1' }, { name: 'Lang', value: 'de' }]);
  });

  it('law: whatever the caller sends, the stream URL keeps its host and path, and each value reads back', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (from, callerName) => {
        const agent = { ...wsAgent, serviceValue: 'wss://agents.example/s/{session}?f={from}&n={caller_name}' };
        const verb = agentVerb(input({ agent, call: { ...call, from, callerName } }));
        if (verb.kind !== 'connect_stream') throw new Error('expected a stream');
        const url = new URL(verb.url);
        expect(url.host).toBe('agents.example');
        expect(url.pathname).toBe('/s/sess-42');
        expect([...url.searchParams.keys()]).toEqual(['f', 'n']);
        const clean = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD').replace(/[\u0000-\u001f\u007f]/g, ' ');
        expect(url.searchParams.get('n')).toBe(clean(callerName));
        expect(url.searchParams.get('f')).toBe(clean(from));
        expect(parse(renderCxml([verb])).Response.Connect.Stream.url).toBe(verb.url);
      }),
      { numRuns: 300 },
    );
  });
});
