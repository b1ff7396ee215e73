// Reads Vitest's JSON report and prints "N passed, N failed". Exits non-zero when
// a test failed, a test was skipped, or a backend's suites did not run at all.
import { existsSync, readFileSync } from 'node:fs';

const [file, runnerStatus] = process.argv.slice(2);
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  console.error('no test report was written');
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const tests = report.testResults.flatMap((f) =>
  f.assertionResults.map((a) => ({ ...a, file: f.name, fileStatus: f.status, fileMessage: f.message })),
);
const passed = tests.filter((t) => t.status === 'passed').length;
const failed = tests.filter((t) => t.status === 'failed').length;
const skipped = tests.filter((t) => !['passed', 'failed'].includes(t.status));
const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.every((a) => a.status !== 'failed'));

const problems = [];
for (const f of brokenFiles) problems.push(`test file failed to run: ${f.name}\n${f.message ?? ''}`);
for (const t of skipped) problems.push(`skipped: ${t.fullName} (${t.status})`);
// Every backend must have run and passed suites of its own, named "<backend>: ...".
for (const backend of ['sqlite', 'mysql', 'postgres', 'redis']) {
  const ran = tests.filter((t) => t.fullName.startsWith(`${backend}: `) && t.status === 'passed').length;
  if (ran === 0) problems.push(`no passing "${backend}: ..." tests: that backend's suites did not run`);
}

for (const p of problems) console.error(`CI: ${p}`);
const failedTotal = failed + brokenFiles.length + (problems.length > 0 && failed === 0 ? problems.length : 0);
console.log(`${passed} passed, ${failedTotal} failed`);
process.exit(failed > 0 || problems.length > 0 || runnerStatus !== '0' ? 1 : 0);
