// On-demand mutation testing of src/core against the unit tests: `npm run test:mutation [-- --sample=60 --seed=1
// --files=src/core/*.ts]`. Each sampled mutant is written into its source file, the tests are rebuilt and run, and
// the file is put back (also on Ctrl-C, and at the next start if the process was killed). A mutant no test notices
// "survived": a guard that can break with every test green. Results go to test-results/mutation.json.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { globToRegExp } from '../../src/core/glob';
import { EQUIVALENT, equivalentRule } from './equivalent';
import { applyMutant, describe, findMutants, sample, type Mutant } from './mutants';

type Status = 'killed' | 'survived' | 'timeout';

interface Result extends Mutant {
  status: Status;
  ms: number;
  /** The first failing test, for a killed mutant. */
  failed?: string;
}

const ROOT = process.cwd();
const OUT_DIR = path.join(ROOT, 'test-results');
const BACKUP = path.join(OUT_DIR, 'mutation-backup.json');
const UNIT_DIR = path.join('out', 'test', 'unit');

function arg(name: string, fallback: string): string {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? found.slice(name.length + 3) : fallback;
}

const SAMPLE = Number(arg('sample', '60'));
const SEED = Number(arg('seed', '1'));
const FILES = arg('files', 'src/core/*.ts');

/** The tests run from out/, built the way `npm run build:tests` builds them. */
function rebuild(): void {
  const r = spawnSync(process.execPath, ['esbuild.js', '--tests'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node esbuild.js --tests failed:\n${r.stderr}`);
}

// The one file that may be mutated at any moment, with its original text: written to disk before the mutant,
// so that even a killed run leaves what is needed to put it back.
let pending: { file: string; original: string } | undefined;
let child: ChildProcess | undefined;

function restore(): void {
  if (!pending) return;
  fs.writeFileSync(pending.file, pending.original);
  pending = undefined;
  fs.rmSync(BACKUP, { force: true });
  rebuild();
}

function restoreLeftover(): void {
  if (!fs.existsSync(BACKUP)) return;
  pending = JSON.parse(fs.readFileSync(BACKUP, 'utf8')) as { file: string; original: string };
  console.log(`Restoring ${pending.file}, left mutated by an interrupted run.`);
  restore();
}

function mutate(m: Mutant): void {
  const original = fs.readFileSync(m.file, 'utf8');
  pending = { file: m.file, original };
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(BACKUP, JSON.stringify(pending));
  fs.writeFileSync(m.file, applyMutant(original, m));
  rebuild();
}

function stopChild(): void {
  // The runner's own process group: node --test starts one process per test file.
  if (child?.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopChild();
    restore();
    console.log(`\nStopped by ${signal}; every source file is back as it was.`);
    process.exit(130);
  });
}

/** Test files that import the mutated module come first, so a mutant that is caught is caught early. */
function testOrder(file: string): string[] {
  const base = path.basename(file, '.ts');
  const tests = fs.readdirSync(UNIT_DIR).filter((f) => f.endsWith('.test.js'));
  const importsIt = (f: string) => {
    const src = path.join('test', 'unit', f.replace(/\.js$/, '.ts'));
    return fs.existsSync(src) && new RegExp(`/${base}['"]`).test(fs.readFileSync(src, 'utf8'));
  };
  const first = tests.filter(importsIt);
  return [...first, ...tests.filter((f) => !first.includes(f))].map((f) => path.join(UNIT_DIR, f));
}

/** Runs the unit tests; stops at the first failing test (node 20's runner has no bail). */
function runTests(files: string[], timeoutMs: number): Promise<{ status: Status; failed?: string }> {
  return new Promise((resolve) => {
    child = spawn(process.execPath, ['--test', '--test-reporter=tap', ...files], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let settled = false;
    const finish = (r: { status: Status; failed?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopChild();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ status: 'timeout' }), timeoutMs);
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const failed = lines.find((l) => /^\s*not ok \d+/.test(l) && !/#\s*(TODO|SKIP)/i.test(l));
      if (failed) finish({ status: 'killed', failed: failed.replace(/^\s*not ok \d+ - /, '').trim() });
    });
    child.on('exit', (code) => finish(code === 0 ? { status: 'survived' } : { status: 'killed', failed: `exit code ${code}` }));
  });
}

function sourceFiles(): string[] {
  const re = globToRegExp(FILES);
  const dir = path.dirname(FILES.replace(/\*.*$/, 'x'));
  return fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.posix.join(dir, String(f).split(path.sep).join('/')))
    .filter((f) => f.endsWith('.ts') && re.test(f))
    .sort();
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  restoreLeftover();
  const started = Date.now();
  const t0 = Date.now();
  rebuild();
  const buildMs = Date.now() - t0;

  const files = sourceFiles();
  const all = files.flatMap((f) => findMutants(f, fs.readFileSync(f, 'utf8')));
  const lineOf = (m: Mutant) => fs.readFileSync(m.file, 'utf8').split('\n')[m.line - 1] ?? '';
  const rules = new Set(all.map((m) => equivalentRule(m, lineOf(m))));
  for (const rule of EQUIVALENT) {
    if (!rules.has(rule) && files.includes(rule.file))
      console.log(`Equivalent-mutant rule matches nothing any more: ${rule.file}: ${rule.line}`);
  }
  // Drawn from every mutant, equivalent ones included, so a seed keeps its sample when the list of equivalents grows.
  const drawn = sample(all, SAMPLE, SEED);
  const equivalent = drawn.filter((m) => equivalentRule(m, lineOf(m)));
  const chosen = drawn.filter((m) => !equivalent.includes(m));
  console.log(
    `${all.length} mutants in ${files.length} files; ${drawn.length} drawn (seed ${SEED}), ${equivalent.length} of them equivalent ` +
      `(tools/mutation/equivalent.ts), ${chosen.length} to run. Rebuild: ${buildMs} ms.`,
  );

  const baselineStart = Date.now();
  const baseline = await runTests(testOrder('none'), 600_000);
  const baselineMs = Date.now() - baselineStart;
  if (baseline.status !== 'survived') throw new Error(`The unit tests fail without any mutant (${baseline.failed}); fix them first.`);
  // Three times a clean run (the machine may be busy): a mutant that makes a test loop or wait for a deadline is stopped, not waited for.
  const timeoutMs = Math.max(60_000, baselineMs * 3);
  console.log(`Unmutated unit tests: ${seconds(baselineMs)}; per-mutant limit ${seconds(timeoutMs)}.`);

  const results: Result[] = [];
  for (const [i, m] of chosen.entries()) {
    const t = Date.now();
    let outcome: { status: Status; failed?: string };
    try {
      mutate(m);
      outcome = await runTests(testOrder(m.file), timeoutMs);
    } finally {
      restore();
    }
    results.push({ ...m, ...outcome, ms: Date.now() - t });
    console.log(
      `${String(i + 1).padStart(3)}/${chosen.length} ${outcome.status.padEnd(8)} ${m.file}:${m.line} ${describe(m)} (${seconds(Date.now() - t)})`,
    );
  }

  const killed = results.filter((r) => r.status !== 'survived').length;
  const timeouts = results.filter((r) => r.status === 'timeout').length;
  const score = results.length ? Math.round((killed / results.length) * 1000) / 10 : 100;
  const survivors = results.filter((r) => r.status === 'survived');
  const totalMs = Date.now() - started;
  const perMutantMs = results.reduce((sum, r) => sum + r.ms, 0) / Math.max(1, results.length);
  console.log(`\nSurvivors (${survivors.length}):`);
  for (const r of survivors) console.log(`  ${r.file}:${r.line}  ${describe(r)}`);
  console.log(
    `\nMutation score: ${score}% (${killed} of ${results.length} killed, ${timeouts} by timeout; ${equivalent.length} equivalent left out); ` +
      `seed ${SEED}, ${all.length} mutants found; ${seconds(totalMs)} in all, ${seconds(perMutantMs)} per mutant.`,
  );
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    files: FILES,
    seed: SEED,
    drawn: drawn.length,
    equivalent: equivalent.map((m) => ({ ...m, why: equivalentRule(m, lineOf(m))?.why })),
    run: results.length,
    found: all.length,
    score,
    killed,
    timeouts,
    totalMs,
    perMutantMs,
    baselineMs,
    buildMs,
    timeoutMs,
    results,
  };
  fs.writeFileSync(path.join(OUT_DIR, 'mutation.json'), `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((err: unknown) => {
  stopChild();
  try {
    restore();
  } finally {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
});
