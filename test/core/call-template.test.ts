import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CALL_PLACEHOLDERS,
  fillTemplate,
  placeholdersIn,
  SAMPLE_CALL_VARIABLES,
  templateProblem,
  unknownPlaceholders,
} from '../../src/core/routing/call-template.js';

const call = { session: 'sess-1', from: '+14155550123', to: '+12125550187', domain: 'acme.cloudonix.net', caller_name: 'Jane Doe', direction: 'inbound' };

describe('call templates', () => {
  it('finds placeholders in order, each once, and only well-formed ones', () => {
    expect(placeholdersIn('wss://h/{session}?a={from}&b={to}&c={from}')).toEqual(['session', 'from', 'to']);
    expect(placeholdersIn('no braces')).toEqual([]);
    expect(placeholdersIn('{ spaced } { also bad} {{session}} lone { and }')).toEqual(['session']);
    expect(placeholdersIn('{}')).toEqual(['']);
  });

  it('names unknown placeholders and lists the known ones', () => {
    expect(unknownPlaceholders('{bot_id}/{session}/{auth_token}')).toEqual(['bot_id', 'auth_token']);
    expect(templateProblem('{session} {from} {to} {domain} {caller_name} {direction}')).toBeUndefined();
    const problem = templateProblem('X {Session} {agent_uuid}');
    expect(problem).toContain('{Session}, {agent_uuid}');
    expect(problem).toContain('{session}, {from}, {to}, {domain}, {caller_name}, {direction}');
    expect(templateProblem('{bot}')).toMatch(/^has the unknown placeholder \{bot\};/);
  });

  it('fills every known placeholder, leaving unknown ones and plain braces as written', () => {
    expect(fillTemplate('{session}|{from}|{to}|{domain}|{caller_name}|{direction}', call, { encode: 'none' })).toBe(
      'sess-1|+14155550123|+12125550187|acme.cloudonix.net|Jane Doe|inbound',
    );
    expect(fillTemplate('{other} { from } {{to}}', call, { encode: 'none' })).toBe('{other} { from } {+12125550187}');
    expect(fillTemplate('by {caller_name}', {}, { encode: 'none' })).toBe('by ');
    expect(fillTemplate('by {caller_name}', { caller_name: null }, { encode: 'url' })).toBe('by ');
  });

  it('URL-encodes values for URLs, so a caller cannot add query parameters or path segments', () => {
    const hostile = { ...call, caller_name: 'x&admin=1/../#frag?y= z', from: '+1 415' };
    expect(fillTemplate('wss://h/p?n={caller_name}&f={from}', hostile, { encode: 'url' })).toBe('wss://h/p?n=x%26admin%3D1%2F..%2F%23frag%3Fy%3D%20z&f=%2B1%20415');
    const url = new URL(fillTemplate('wss://h/p?n={caller_name}', hostile, { encode: 'url' }));
    expect(url.searchParams.get('n')).toBe(hostile.caller_name);
    expect([...url.searchParams.keys()]).toEqual(['n']);
  });

  it('never lets a value bring a line break or a lone surrogate along', () => {
    const nasty = { caller_name: 'Eve\r\nX-Injected: yes\u0000\u007f', from: 'a\uD800b' };
    expect(fillTemplate('{caller_name}', nasty, { encode: 'none' })).toBe('Eve  X-Injected: yes  ');
    expect(fillTemplate('{from}', nasty, { encode: 'none' })).toBe('a\uFFFDb');
    expect(() => fillTemplate('wss://h/?f={from}', nasty, { encode: 'url' })).not.toThrow();
    // A whole emoji (a surrogate pair) is kept.
    expect(fillTemplate('{caller_name}', { caller_name: 'Ann 😀' }, { encode: 'none' })).toBe('Ann 😀');
  });

  it('law: filling with URL encoding and parsing gives the value back, whatever the value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const url = new URL(fillTemplate('wss://agents.example/s?v={caller_name}', { caller_name: value }, { encode: 'url' }));
        expect(url.searchParams.get('v')).toBe(value.replace(/[\u0000-\u001f\u007f]/g, ' '));
      }),
      { numRuns: 300 },
    );
  });

  it('has a sample value for every placeholder', () => {
    for (const name of CALL_PLACEHOLDERS) expect(SAMPLE_CALL_VARIABLES[name], name).not.toBe('');
  });
});
