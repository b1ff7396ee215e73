import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberProblem } from '../../src/core/routing/dialable-number.js';
import { compilePattern, matchesPattern } from '../../src/core/routing/number-pattern.js';
import { patternProblem } from '../../src/core/routing/pattern-problem.js';
import { domainFromInput } from '../../src/core/schemas/fields.js';
import { webhookUrlProblem } from '../../src/core/webhook-url-problem.js';

describe('rule patterns that could never match a whole number', () => {
  it('accepts the pattern language: exact, ? or X wildcards, a trailing * prefix, separators', () => {
    for (const good of ['+12125550187', '+1212555????', '+1212555XXXX', '+1212*', '*', '+1 (212) 555-0187', '+1 (???) 555 0187', '100', '+123456789012345', '+12345678901234*']) {
      expect(patternProblem(good), good).toBeUndefined();
    }
  });

  it('refuses each mistake with its own reason', () => {
    const cases: [string, RegExp][] = [
      ['^\\+1212.*$', /regular expression/],
      ['+1212[0-9]{7}', /regular expression/],
      ['+1212.*', /regular expression/],
      ['+1(212|646)*', /regular expression/],
      ['\\d+', /regular expression/],
      ['+1212%', /% or _/],
      ['+1212___', /% or _/],
      ['sales*', /letter “s”.*could never match/],
      ['+1ABC*', /letter “A”/],
      ['sip:+1212*', /letter “s”/],
      ['+12*34', /only come last/],
      ['**', /only come last/],
      ['1+212*', /\+ may only begin/],
      ['+1234567890123456', /16 digits.*at most 15 \(E\.164\)/],
      ['+1234567890123456????', /20 digits/],
      ['+1234567890123456*', /16 digits/],
      ['0044*', /not 00/],
      ['', /empty/],
      ['+1212#', /may hold digits/],
    ];
    for (const [bad, reason] of cases) expect(patternProblem(bad), bad).toMatch(reason);
  });

  it('law: whatever it accepts compiles and matches some number of at most 15 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+?[0-9?X]{1,16}\*?$/), (p) => {
        if (patternProblem(p) !== undefined) return;
        const c = compilePattern(p);
        expect(c.ok).toBe(true);
        if (!c.ok) return;
        const sample = c.pattern.digits.replace(/\?/g, '5');
        expect(sample.length).toBeLessThanOrEqual(15);
        expect(matchesPattern(c.pattern, sample.length > 0 ? sample : '5')).toBe(true);
      }),
    );
  });
});

describe('numbers for the rule tester', () => {
  it('accepts numbers as Cloudonix sends them', () => {
    for (const good of ['+12125550187', '12125550187', '+1 (212) 555-0187', 'sip:+12125550187@acme.cloudonix.net', '0044 20 7123 4567', '100']) {
      expect(numberProblem(good), good).toBeUndefined();
    }
  });
  it('refuses what is not a number, saying what a number looks like', () => {
    for (const bad of ['anonymous', '+1212*', '+1212555????', 'abc123', 'sip:alice@acme.cloudonix.net', '+', '1-800-FLOWERS']) {
      expect(numberProblem(bad), bad).toMatch(/must be a phone number|at least one digit/);
    }
    expect(numberProblem('+12345678901234567')).toMatch(/17 digits.*at most 15/);
  });
});

describe('domains pasted as URLs', () => {
  it('keep only the host name', () => {
    expect(domainFromInput('https://acme.cloudonix.net/')).toBe('acme.cloudonix.net');
    expect(domainFromInput(' HTTP://Acme.Cloudonix.net:443/voice?x=1#y ')).toBe('Acme.Cloudonix.net');
    expect(domainFromInput('acme.cloudonix.net/')).toBe('acme.cloudonix.net');
    expect(domainFromInput('admin@acme.cloudonix.net')).toBe('acme.cloudonix.net');
    expect(domainFromInput('acme.cloudonix.net.')).toBe('acme.cloudonix.net');
    expect(domainFromInput('acme.cloudonix.net')).toBe('acme.cloudonix.net');
  });
});

describe('webhook URLs Cloudonix cannot use', () => {
  it('flags this machine, private networks, local names and plain http; passes public https', () => {
    const cases: [string, RegExp | null][] = [
      ['http://localhost:3000/api/voice/application/a', /localhost.*cannot reach/],
      ['https://127.0.0.1/x', /loopback/],
      ['https://[::1]:3000/x', /loopback/],
      ['https://10.1.2.3/x', /private address/],
      ['https://192.168.1.20/x', /private address/],
      ['https://[fd00::1]/x', /private address/],
      ['https://lb.local/x', /only this machine or its network/],
      ['http://lb.example.org/x', /plain http/],
      ['/api/voice/application/a', /not a full URL/],
      ['https://lb.example.org/api/voice/application/a?token=s', null],
      ['https://198.51.100.7/x', /reserved/],
      ['https://8.8.8.8/x', null],
    ];
    for (const [url, problem] of cases) {
      const got = webhookUrlProblem(url);
      if (problem === null) expect(got, url).toBeNull();
      else expect(got, url).toMatch(problem);
    }
  });
});
