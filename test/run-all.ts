/**
 * `npm test`: every suite, in order — lint and format, typecheck, unit and design-doc tests, integration tests
 * against the real embedded store, a production build, browser component tests in Debian's Chromium, and the
 * end-to-end tests. Runs them all even when one fails, then prints one summary and exits non-zero on any failure.
 */
import { spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';
import { ensureTestTools } from '../scripts/ensure-test-tools.ts';

interface Step {
  name: string;
  command: string[];
  /** Reads the number of tests passed and failed, where the step runs tests. */
  counts?: () => { passed: number; failed: number };
}

const reportDir = '.tmp/test-reports';
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

function vitestCounts(file: string): () => { passed: number; failed: number } {
  return () => {
    const report = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    return { passed: report.numPassedTests, failed: report.numFailedTests };
  };
}

function vitest(project: string): Step {
  const file = `${reportDir}/${project}.json`;
  return {
    name: `${project} tests`,
    command: [
      'npx',
      'vitest',
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${file}`,
    ],
    counts: vitestCounts(file),
  };
}

let browserOutput = '';
const steps: Step[] = [
  { name: 'lint', command: ['npx', 'eslint', '.'] },
  { name: 'format', command: ['npx', 'prettier', '--check', '.'] },
  { name: 'typecheck', command: ['npx', 'tsc', '--noEmit', '-p', '.'] },
  vitest('unit'),
  vitest('int'),
  { name: 'build', command: ['npx', 'vite', 'build', '--logLevel', 'warn'] },
  {
    name: 'browser tests',
    command: ['npx', 'web-test-runner'],
    counts: () => {
      // The progress bar repeats "N passed, M failed"; the last one is the final count.
      const plain = stripVTControlCharacters(browserOutput);
      const last = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
      return { passed: Number(last?.[1] ?? 0), failed: Number(last?.[2] ?? 0) };
    },
  },
  vitest('e2e'),
];

ensureTestTools();
const results: { name: string; ok: boolean }[] = [];
let passed = 0;
let failed = 0;
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.command.join(' ')}`);
  const capture = step.name === 'browser tests';
  const run = spawnSync(step.command[0] ?? '', step.command.slice(1), {
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
    encoding: 'utf8',
  });
  if (capture) {
    browserOutput = `${run.stdout ?? ''}\n${run.stderr ?? ''}`;
    process.stdout.write(browserOutput);
  }
  const ok = run.status === 0;
  results.push({ name: step.name, ok });
  if (step.counts) {
    try {
      const counts = step.counts();
      passed += counts.passed;
      failed += counts.failed;
    } catch {
      if (!ok) failed += 1;
    }
  }
}

console.log('\n=== summary');
for (const result of results) console.log(`${result.ok ? 'ok  ' : 'FAIL'}  ${result.name}`);
const stepsFailed = results.filter((result) => !result.ok).length;
if (stepsFailed > 0 && failed === 0) failed = stepsFailed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(stepsFailed > 0 ? 1 : 0);
