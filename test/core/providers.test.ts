import { describe, expect, it } from 'vitest';
import { findProvider, providers } from '../../src/core/providers.js';
import { createVoiceAgentBody, normalizeServiceValue, serviceValueProblem } from '../../src/core/schemas/voice-agent.js';

/** Every identifier of cloudonix.md §3.2, written out so a catalog edit cannot silently drop one. */
const SIP_IDS = [
  'vapi', 'vapi-udp', 'vapi-noproxy', 'synthflow', 'dasha', 'superdash.ai', 'elevenlabs', 'ultravox',
  'deepvox', 'deepvox-sandbox', 'relayhawk', 'voicehub', 'retell', 'retell-udp', 'retell-tcp', 'retell-tls',
  'fonio', 'sigmamind', 'modon', 'modon-sandbox', 'puretalk', 'puretalk-tcp', 'millis-us', 'millis-eu',
  'rapida', 'smallest', 'call2me', 'call2me-tcp', 'call2me-tls', 'revring', 'x', 'openai', 'vogent',
  'omnidim.im', 'ringg', 'ringg-tcp', 'ringg-tls', 'vomyra', 'telnyx', 'telnyx-udp', 'telnyx-tcp', 'telnyx-tls',
];
const WEBSOCKET_IDS = ['deepdub', 'dograh-cloud', 'dograh-oss', 'assembly.ai', 'cloudonix'];

describe('provider catalog', () => {
  it('holds every identifier of cloudonix.md §3.2 and nothing else', () => {
    expect(SIP_IDS).toHaveLength(42);
    expect(providers.map((p) => p.id).sort()).toEqual([...SIP_IDS, ...WEBSOCKET_IDS].sort());
  });

  it('has unique ids', () => {
    expect(new Set(providers.map((p) => p.id)).size).toBe(providers.length);
  });

  it('marks the five WebSocket providers as such, with a wss:// service value, and every other one as SIP with a number', () => {
    for (const id of WEBSOCKET_IDS) {
      const p = findProvider(id);
      expect(p?.transport, id).toBe('websocket');
      expect(p?.service_value.kind, id).toBe('wss_url');
      expect(p?.service_value.example, id).toMatch(/^wss:\/\//);
      expect(p?.service_value.help, id).toContain('wss://');
    }
    for (const id of SIP_IDS) {
      expect(findProvider(id)?.transport, id).toBe('sip');
      expect(findProvider(id)?.service_value.kind, id).toBe('e164');
    }
  });

  it('keeps credentials optional everywhere and notes the providers said to need them', () => {
    expect(providers.every((p) => p.credentials.username === 'optional' && p.credentials.password === 'optional')).toBe(true);
    for (const id of ['synthflow', 'superdash.ai', 'elevenlabs']) expect(findProvider(id)?.note, id).toMatch(/username and password/);
  });

  it('finds nothing for unknown or near-miss ids', () => {
    for (const id of ['', '11labs', 'VAPI ', 'dummy_ai', 'toString', '__proto__']) expect(findProvider(id), id).toBeUndefined();
  });

  it("accepts each catalog example as its provider's service value", () => {
    for (const p of providers) {
      expect(serviceValueProblem(p, p.service_value.example), p.id).toBeUndefined();
      const parsed = createVoiceAgentBody.safeParse({ name: 'Example', provider: p.id, service_value: p.service_value.example });
      expect(parsed.success, p.id).toBe(true);
    }
  });

  it('strips phone separators from SIP numbers but keeps URLs as given', () => {
    const vapi = findProvider('vapi')!;
    const dograh = findProvider('dograh-cloud')!;
    expect(normalizeServiceValue(vapi, '+1 (212) 555-0999')).toBe('+12125550999');
    expect(normalizeServiceValue(vapi, '12125550999')).toBe('12125550999');
    expect(normalizeServiceValue(dograh, 'wss://a-b.example/x-y')).toBe('wss://a-b.example/x-y');
    for (const bad of ['12345', '+1234567890123456', 'abc', '+1-212-CALL-NOW', 'sip:+12125550999@vapi.ai']) {
      expect(serviceValueProblem(vapi, bad), bad).toBeDefined();
    }
    for (const bad of ['https://a.example/ws', 'ws://a.example', 'wss://', 'wss://bot.deepdub.dev/ws/{bot_id}', 'wss://a .example']) {
      expect(serviceValueProblem(dograh, bad), bad).toBeDefined();
    }
    // The call placeholders are filled per call, so they may stay in the URL.
    expect(serviceValueProblem(dograh, 'wss://a.example/x/{session}?from={from}&to={to}')).toBeUndefined();
  });
});
