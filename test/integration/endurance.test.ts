// Runs only in the runner's endurance pass (`npm run test:endurance`): many generations in one
// session, then proof that nothing was lost and nothing piles up (heap, listeners, reservations).
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { TestApi } from '../../src/extension';
import type { Fault, Sandbox } from '../../tools/sandbox/server';
import { extensionApi, markdownEditor, resetSettings } from './helpers';
import { freshEditors, generate, reliableSandbox, RELIABILITY_SETTINGS, Scene } from './reliability';
import { count, PASS, tried, writeFigures } from './tally';

const RUNS = 100;
const HEAP_BUDGET_MB = 20;
const FAILURES: [string, Fault][] = [
  ['body cut mid-JSON', { type: 'truncatedJson' }],
  ['400', { type: 'status', status: 400 }],
  ['not an image', { type: 'notImage' }],
  ['data: []', { type: 'emptyData' }],
  ['connection reset mid-body', { type: 'cutMidBody' }],
];
const PROCESS_EVENTS = ['exit', 'beforeExit', 'uncaughtException', 'unhandledRejection', 'warning', 'SIGTERM', 'SIGINT'];

/** A real collection: the extension host runs without --expose-gc, so the flag is turned on at run time. */
function forcedGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

async function settledHeapMB(gc: (() => void) | undefined): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise(setImmediate);
    await new Promise((r) => setTimeout(r, 100));
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function resources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

const processListeners = () => PROCESS_EVENTS.reduce((sum, e) => sum + process.listenerCount(e), 0);

describe('Endurance: 100 generations in one session', function () {
  this.timeout(15 * 60_000);
  let api: TestApi;
  let sandbox: Sandbox;

  before(function () {
    if (PASS !== 'endurance') this.skip();
  });
  before(async () => {
    api = await extensionApi();
    sandbox = await reliableSandbox(api, {}, { size: '128x128' });
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(RELIABILITY_SETTINGS);
  });

  it('every success has its files and history entry, every failure none; nothing leaks', async () => {
    const gc = forcedGc();
    await freshEditors();
    // One document for every run, so the heap measures the generations, not a hundred open files.
    const editor = await markdownEditor('endurance.md', 'Endurance\n', 0);
    // Warm up first, so one-time loading (modules, the sandbox's renderer) is not counted as growth.
    for (let i = 0; i < 3; i++) {
      await Scene.reuse(api, sandbox, editor, 'Warm-up\n');
      await generate(api, { n: 4 });
    }
    const heapBefore = await settledHeapMB(gc);
    const listenersBefore = processListeners();
    const resourcesBefore = resources();
    // One long-lived signal for every run, as a chat session or the sidebar could pass.
    const session = new AbortController();
    const outcomes = { succeeded: 0, failed: 0, cancelled: 0 };

    for (let i = 0; i < RUNS; i++) {
      const n = (i % 4) + 1;
      const kind = i % 10 === 3 ? 'fail' : i % 10 === 7 ? 'cancel' : 'ok';
      sandbox.reset();
      const scene = await Scene.reuse(api, sandbox, editor, `Endurance run ${i}\n`);
      if (kind === 'ok') {
        await scene.succeeded(await generate(api, { n }, { signal: session.signal }), n);
        outcomes.succeeded++;
      } else if (kind === 'fail') {
        const [name, fault] = FAILURES[i % FAILURES.length]!;
        tried('faults', `endurance ${i}: ${name}`);
        sandbox.enqueue(fault);
        await scene.failed(await generate(api, { n }, { signal: session.signal }), { message: /GPT Image|answer|gateway|image/ });
        outcomes.failed++;
      } else {
        tried('faults', `endurance ${i}: cancel while waiting`);
        sandbox.enqueue({ type: 'delay', ms: 3000 });
        const own = new AbortController();
        setTimeout(() => own.abort(), 150);
        await scene.failed(await generate(api, { n }, { signal: own.signal }), { message: /ancel/, status: 'cancelled' });
        outcomes.cancelled++;
      }
    }

    // A name reserved by a failed run must be free again.
    sandbox.reset();
    sandbox.enqueue({ type: 'truncatedJson' });
    await generate(api, { prompt: 'Probe', fileName: 'endurance-probe' });
    const probe = await generate(api, { prompt: 'Probe', fileName: 'endurance-probe' });
    assert.equal(path.posix.basename(probe.outcome!.files[0]!), 'endurance-probe.png', 'no name stays reserved');

    const heapAfter = await settledHeapMB(gc);
    const growth = heapAfter - heapBefore;
    const signalListeners = getEventListeners(session.signal, 'abort').length;
    const running = (api.services.running as unknown as { count: number }).count;
    const resourcesAfter = resources();
    const figures = {
      runs: RUNS,
      ...outcomes,
      forcedGc: gc !== undefined,
      heapBeforeMB: Math.round(heapBefore * 10) / 10,
      heapAfterMB: Math.round(heapAfter * 10) / 10,
      heapGrowthMB: Math.round(growth * 10) / 10,
      signalListenersLeft: signalListeners,
      processListenersBefore: listenersBefore,
      processListenersAfter: processListeners(),
      runningLeft: running,
      resourcesBefore,
      resourcesAfter,
    };
    count('endurance', RUNS);
    writeFigures({ endurance: figures });
    console.log(`endurance: ${JSON.stringify(figures)}`);

    assert.equal(signalListeners, 0, "no listener is left on the caller's signal");
    assert.equal(running, 0, 'the status bar counts no generation as running');
    assert.equal(figures.processListenersAfter, listenersBefore, 'no process listener was added');
    for (const type of ['TCPSocketWrap', 'Timeout', 'FSReqCallback']) {
      assert.ok(
        (resourcesAfter[type] ?? 0) <= (resourcesBefore[type] ?? 0) + 4,
        `${type}: ${resourcesBefore[type] ?? 0} → ${resourcesAfter[type] ?? 0}`,
      );
    }
    assert.ok(growth < HEAP_BUDGET_MB, `heap grew ${growth.toFixed(1)} MB`);
  });
});
