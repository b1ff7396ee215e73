import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs');
const modelPath = join(docsDir, 'threat-model.md');
const model = readFileSync(modelPath, 'utf8');

/** `[label](../test/….test.ts) "title"; "title"`: each link to a test file and the titles quoted after it. */
interface Proof {
  line: number;
  file: string;
  titles: string[];
}

const LINK = /\[[^\]]*\]\((\.\.\/test\/[^)\s#]+)\)/g;
const HAS_LINK = /\]\(\.\.\/test\//;
const TEST_CALL = /\b(it|test|describe)(\.\w+)*\(/;

function proofs(): Proof[] {
  const out: Proof[] = [];
  model.split('\n').forEach((text, i) => {
    const links = [...text.matchAll(LINK)];
    links.forEach((m, k) => {
      const end = k + 1 < links.length ? links[k + 1]!.index : text.length;
      const segment = text.slice(m.index + m[0].length, end);
      out.push({ line: i + 1, file: m[1]!, titles: [...segment.matchAll(/"([^"]+)"/g)].map((q) => q[1]!) });
    });
  });
  return out;
}

/** Table rows of the STRIDE sections: `| S1 | …`. */
const threatRows = () =>
  model
    .split('\n')
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((r) => /^\|\s*[STRIDE]\d+\s*\|/.test(r.text));

describe('docs/threat-model.md', () => {
  it('every linked test file exists and holds each quoted test title in an it/describe call', () => {
    const found = proofs();
    expect(found.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const p of found) {
      const path = resolve(docsDir, p.file);
      if (!existsSync(path)) {
        problems.push(`line ${p.line}: ${p.file} does not exist`);
        continue;
      }
      if (p.titles.length === 0) problems.push(`line ${p.line}: ${p.file} is linked without a quoted test title`);
      const calls = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => TEST_CALL.test(l));
      for (const title of p.titles) {
        if (!calls.some((l) => l.includes(title))) problems.push(`line ${p.line}: ${p.file} has no test titled "${title}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every threat of every STRIDE category names a control and a test, or says it is not yet tested', () => {
    const rows = threatRows();
    for (const letter of 'STRIDE') expect(rows.some((r) => r.text.startsWith(`| ${letter}`)), letter).toBe(true);
    const bare = rows.filter((r) => !HAS_LINK.test(r.text) && !r.text.includes('not yet tested')).map((r) => `line ${r.line}`);
    expect(bare).toEqual([]);
    const ids = rows.map((r) => /^\|\s*([STRIDE]\d+)/.exec(r.text)![1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
