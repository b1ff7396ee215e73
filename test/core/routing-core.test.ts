import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { normalizeDialStatus, normalizeDisposition } from '../../src/core/routing/call-status.js';
import { HANGUP_CXML, renderCxml } from '../../src/core/routing/cxml.js';
import { compilePattern, matchesPattern, type CompiledPattern } from '../../src/core/routing/number-pattern.js';
import { normalizeDigits } from '../../src/core/routing/phone-number.js';

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: false }).parse(xml);
const compiled = (p: string): CompiledPattern => {
  const r = compilePattern(p);
  if (!r.ok) throw new Error(r.error);
  return r.pattern;
};

describe('phone numbers', () => {
  it('compare on normalised digits whatever the spelling', () => {
    for (const n of ['+1 (212) 555-0187', '12125550187', 'sip:+12125550187@acme.cloudonix.net', '0012125550187', '+1.212.555.0187']) {
      expect(normalizeDigits(n), n).toBe('12125550187');
    }
    expect(normalizeDigits('')).toBe('');
    expect(normalizeDigits(null)).toBe('');
    expect(normalizeDigits('anonymous')).toBe('');
  });
});

describe('number patterns', () => {
  it('matches exact numbers, prefixes and single-digit wildcards on digits', () => {
    expect(matchesPattern(compiled('+12125550187'), '12125550187')).toBe(true);
    expect(matchesPattern(compiled('+12125550187'), '121255501870')).toBe(false);
    expect(matchesPattern(compiled('+1212*'), '12125550187')).toBe(true);
    expect(matchesPattern(compiled('+1212*'), '13125550187')).toBe(false);
    expect(matchesPattern(compiled('*'), '44207')).toBe(true);
    expect(matchesPattern(compiled('+1212555????'), '12125550187')).toBe(true);
    expect(matchesPattern(compiled('+1212555XXXX'), '12125550187')).toBe(true);
    expect(matchesPattern(compiled('+1212555????'), '121255501')).toBe(false);
    expect(matchesPattern(compiled('+1 212 555-0187'), '12125550187')).toBe(true);
    expect(matchesPattern(compiled('+1212*'), '')).toBe(false);
  });

  it('ranks exact over wildcard over prefix, and longer over shorter', () => {
    const s = (p: string) => compiled(p).specificity;
    expect(s('+12125550187')).toBeGreaterThan(s('+1212555????'));
    expect(s('+1212555????')).toBeGreaterThan(s('+12125550*'));
    expect(s('+12125550*')).toBeGreaterThan(s('+1212*'));
    expect(s('+1212*')).toBeGreaterThan(s('*'));
  });

  it('refuses malformed patterns with a reason', () => {
    for (const bad of ['', 'abc', '+12*34', '**', '+1212#', '+', '0044*', 'x'.repeat(41)]) {
      const r = compilePattern(bad);
      expect(r.ok, bad).toBe(false);
    }
  });

  it('law: a number matches its own exact pattern and every prefix pattern of it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9][0-9]{5,14}$/), fc.nat(), (digits, cut) => {
        expect(matchesPattern(compiled(`+${digits}`), digits)).toBe(true);
        expect(matchesPattern(compiled(`+${digits.slice(0, cut % digits.length)}*`), digits)).toBe(true);
      }),
    );
  });
});

describe('CXML', () => {
  it('dials an AI agent through <Service> with an action callback, then hangs up', () => {
    const xml = renderCxml([{ kind: 'dial_service', provider: 'vapi', serviceValue: '+12125550999', action: 'https://lb.example.org/cb?a=1&b=2', timeout: 30, callerId: '+14155550123' }]);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><Response><Dial')).toBe(true);
    const doc = parse(xml).Response;
    expect(doc.Dial).toMatchObject({ callerId: '+14155550123', timeout: '30', action: 'https://lb.example.org/cb?a=1&b=2', method: 'POST' });
    expect(doc.Dial.Service).toEqual({ '#text': '+12125550999', provider: 'vapi' });
    expect(doc).toHaveProperty('Hangup');
    expect(xml).toContain('a=1&amp;b=2');
  });

  it('escapes every attribute and text, and emits credentials only when set', () => {
    const xml = renderCxml([{ kind: 'dial_service', provider: 'synthflow', serviceValue: '+1<&>', username: 'u"1', password: `p'<&>` }]);
    const service = parse(xml).Response.Dial.Service;
    expect(service).toEqual({ '#text': '+1<&>', provider: 'synthflow', username: 'u"1', password: `p'<&>` });
    expect(xml).not.toContain('<&>');
    const lone = parse(renderCxml([{ kind: 'dial_service', provider: 'vapi', serviceValue: '+1', username: 'only-user', password: null }])).Response.Dial.Service;
    expect(lone).toEqual({ '#text': '+1', provider: 'vapi', username: 'only-user' });
  });

  it('dials out through trunks, speaks, rejects', () => {
    const out = parse(renderCxml([{ kind: 'dial_number', number: '+442071234567', trunks: 'carrier-out', callerId: '+12125550187' }])).Response.Dial;
    expect(out).toMatchObject({ trunks: 'carrier-out', callerId: '+12125550187', Number: '+442071234567' });
    expect(out).not.toHaveProperty('method');
    const say = renderCxml([{ kind: 'say', text: 'All agents are busy <sorry> & "goodbye"' }]);
    expect(parse(say).Response.Say).toBe('All agents are busy <sorry> & "goodbye"');
    expect(renderCxml([{ kind: 'reject', reason: 'busy' }])).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Reject reason="busy"/></Response>');
    expect(renderCxml([])).toBe(HANGUP_CXML);
  });

  it('law: any text survives a round trip through the document', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }).filter((s) => s.trim() === s && s.length > 0 && !/[\u0000-\u001f]/.test(s)), (s) => {
        expect(String(parse(renderCxml([{ kind: 'say', text: s }])).Response.Say)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });
});

describe('status vocabularies', () => {
  it('normalises dial statuses from either parameter spelling', () => {
    expect(['completed', 'ANSWERED', 'answer'].map(normalizeDialStatus)).toEqual(['answered', 'answered', 'answered']);
    expect(['no-answer', 'noanswer', 'NO ANSWER'].map(normalizeDialStatus)).toEqual(['no_answer', 'no_answer', 'no_answer']);
    expect(['busy', 'failed', 'canceled', 'cancelled', 'ringing', 'in-progress', 'weird', undefined, 42].map(normalizeDialStatus)).toEqual(['busy', 'failed', 'canceled', 'canceled', 'in_progress', 'in_progress', 'unknown', 'unknown', 'unknown']);
  });

  it('normalises both CDR disposition families', () => {
    expect(['ANSWER', 'ANSWERED', 'NOANSWER', 'NO ANSWER', 'CANCEL', 'CANCELLED', 'BUSY', 'FAILED', 'CONGESTION', 'REJECTED', 'CHANUNAVAIL', 'other', null].map(normalizeDisposition)).toEqual([
      'answered', 'answered', 'no_answer', 'no_answer', 'canceled', 'canceled', 'busy', 'failed', 'congestion', 'declined', 'unknown', 'unknown', 'unknown',
    ]);
  });
});

