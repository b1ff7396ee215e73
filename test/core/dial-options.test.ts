import { describe, expect, it } from 'vitest';
import { findProvider } from '../../src/core/providers.js';
import { agentGroupBody } from '../../src/core/schemas/agent-group.js';
import { dialOptionsSchema, parseStoredDialOptions } from '../../src/core/schemas/dial-options.js';
import { createVoiceAgentBody, serviceValueProblem } from '../../src/core/schemas/voice-agent.js';
import { fieldsOf } from '../../src/core/validation.js';

function problems(value: unknown): Record<string, string[]> {
  const parsed = createVoiceAgentBody.safeParse({ name: 'A', provider: 'vapi', service_value: '+12125550999', dial_options: value });
  return parsed.success ? {} : fieldsOf(parsed.error);
}

describe('dial options', () => {
  it('accepts a full set and normalises caller IDs and blanks', () => {
    const parsed = dialOptionsSchema.parse({
      headers: [{ name: 'X-Caller-Name', value: ' {caller_name} ' }, { name: 'x-tenant', value: 'acme {domain}' }],
      forward_headers: true,
      time_limit_seconds: 1800,
      caller_id: '+1 (212) 555-0123',
      caller_name: '',
      stream_parameters: [{ name: 'caller', value: '{from}' }],
    });
    expect(parsed).toEqual({
      headers: [{ name: 'X-Caller-Name', value: '{caller_name}' }, { name: 'x-tenant', value: 'acme {domain}' }],
      forward_headers: true,
      time_limit_seconds: 1800,
      caller_id: '+12125550123',
      caller_name: null,
      stream_parameters: [{ name: 'caller', value: '{from}' }],
    });
    expect(dialOptionsSchema.parse({})).toEqual({});
    for (const id of ['{from}', '{to}', '12125550123', '']) expect(dialOptionsSchema.safeParse({ caller_id: id }).success, id).toBe(true);
  });

  it('names the exact path of every bad value', () => {
    const cases: [unknown, string][] = [
      [{ headers: [{ name: 'Via', value: 'x' }] }, 'dial_options.headers.0.name'],
      [{ headers: [{ name: 'X-Bad Name', value: 'x' }] }, 'dial_options.headers.0.name'],
      [{ headers: [{ name: 'X-A', value: 'a\r\nX-B: b' }] }, 'dial_options.headers.0.value'],
      [{ headers: [{ name: 'X-A', value: '{bot_id}' }] }, 'dial_options.headers.0.value'],
      [{ headers: [{ name: 'X-A', value: '' }] }, 'dial_options.headers.0.value'],
      [{ headers: [{ name: 'X-A', value: 'v'.repeat(257) }] }, 'dial_options.headers.0.value'],
      [{ headers: [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }] }, 'dial_options.headers.1.name'],
      [{ headers: Array.from({ length: 11 }, (_, i) => ({ name: `X-H${i}`, value: 'v' })) }, 'dial_options.headers'],
      [{ headers: [{ name: 'X-A', value: 'v', extra: 1 }] }, 'dial_options.headers.0'],
      [{ forward_headers: 'yes' }, 'dial_options.forward_headers'],
      [{ time_limit_seconds: 0 }, 'dial_options.time_limit_seconds'],
      [{ time_limit_seconds: 86_401 }, 'dial_options.time_limit_seconds'],
      [{ time_limit_seconds: 1.5 }, 'dial_options.time_limit_seconds'],
      [{ caller_id: 'anonymous' }, 'dial_options.caller_id'],
      [{ caller_id: '{caller_name}' }, 'dial_options.caller_id'],
      [{ caller_name: 'n'.repeat(129) }, 'dial_options.caller_name'],
      [{ caller_name: '{nickname}' }, 'dial_options.caller_name'],
      [{ caller_name: 'tab\there' }, 'dial_options.caller_name'],
      [{ colour: 'blue' }, 'dial_options'],
      ['text', 'dial_options'],
    ];
    for (const [value, field] of cases) expect(Object.keys(problems(value)), JSON.stringify(value).slice(0, 60)).toEqual([field]);
    expect(problems({ caller_name: '{nickname}' })['dial_options.caller_name']?.[0]).toContain('{nickname}');
  });

  it('refuses options the provider cannot carry, naming each', () => {
    const ws = createVoiceAgentBody.safeParse({
      name: 'A',
      provider: 'assembly.ai',
      service_value: 'wss://agents.assemblyai.com/v1/ws',
      dial_options: { headers: [{ name: 'X-A', value: '1' }], time_limit_seconds: 60, caller_id: null, forward_headers: false, stream_parameters: [{ name: 'a', value: '1' }] },
    });
    expect(ws.success).toBe(false);
    expect(Object.keys(fieldsOf(ws.error!)).sort()).toEqual(['dial_options.headers', 'dial_options.time_limit_seconds']);
    expect(Object.keys(problems({ stream_parameters: [{ name: 'a', value: '{session}' }] }))).toEqual(['dial_options.stream_parameters']);
    expect(problems({ stream_parameters: [] })).toEqual({});
    // Other bad fields do not hide the check, nor the check them.
    const both = createVoiceAgentBody.safeParse({ name: '', provider: 'vapi', service_value: '+12125550999', dial_options: { stream_parameters: [{ name: 'a', value: '1' }] } });
    expect(Object.keys(fieldsOf(both.error!)).sort()).toEqual(['dial_options.stream_parameters', 'name']);
  });

  it('applies to groups under settings.dial_options, whatever the strategy', () => {
    const ok = agentGroupBody.parse({ name: 'G', strategy: 'load_balanced', settings: { dial_options: { stream_parameters: [{ name: 'a', value: '{to}' }], time_limit_seconds: 60 } } });
    expect(ok.settings.dial_options).toEqual({ stream_parameters: [{ name: 'a', value: '{to}' }], time_limit_seconds: 60 });
    expect(agentGroupBody.parse({ name: 'G', strategy: 'priority', settings: { dial_options: null } }).settings.dial_options).toBeNull();
    const bad = agentGroupBody.safeParse({ name: 'G', strategy: 'round_robin', settings: { dial_options: { headers: [{ name: 'X-Ok', value: '{nope}' }] } } });
    expect(Object.keys(fieldsOf(bad.error!))).toEqual(['settings.dial_options.headers.0.value']);
  });

  it('reads stored options back, or none when they no longer validate', () => {
    expect(parseStoredDialOptions(null)).toBeNull();
    expect(parseStoredDialOptions({ caller_id: '{from}' })).toEqual({ caller_id: '{from}' });
    expect(parseStoredDialOptions({ caller_id: 'nonsense' })).toBeNull();
    expect(parseStoredDialOptions('a string')).toBeNull();
  });
});

describe('WebSocket URL templates', () => {
  const deepdub = findProvider('deepdub')!;

  it('accept the call placeholders in the path and query', () => {
    for (const url of [
      'wss://bot.deepdub.dev/ws/bot/tok?session={session}&from={from}&to={to}',
      'wss://h.example/{session}/{domain}?d={direction}&n={caller_name}',
      'wss://h.example:8443/p',
    ]) expect(serviceValueProblem(deepdub, url), url).toBeUndefined();
  });

  it('refuse unknown placeholders by name, stray braces, placeholders in the host, and non-wss URLs', () => {
    expect(serviceValueProblem(deepdub, 'wss://bot.deepdub.dev/ws/{bot_id}/{auth_token}?s={session}')).toMatch(/\{bot_id\}, \{auth_token\}/);
    expect(serviceValueProblem(deepdub, 'wss://h.example/a{b')).toContain('not part of a placeholder');
    expect(serviceValueProblem(deepdub, 'wss://{domain}/ws')).toContain('not in the host');
    expect(serviceValueProblem(deepdub, 'wss://h-{session}.example/ws')).toContain('not in the host');
    expect(serviceValueProblem(deepdub, 'https://h.example/{session}')).toContain('wss://');
    expect(serviceValueProblem(deepdub, 'wss://h.example/ {session}')).toContain('no spaces');
    expect(serviceValueProblem(deepdub, 'wss:///{session}')).toBeDefined();
  });
});
