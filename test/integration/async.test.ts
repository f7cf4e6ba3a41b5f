import * as assert from 'node:assert/strict';
import type { TestApi } from '../../src/extension';
import type { Sandbox } from '../../tools/sandbox/server';
import { fastTimeFor, generate, reliabilitySuite, Scene, setSetting } from './reliability';
import { tried } from './tally';

describe('Async mode: image tasks polled until they end (real extension host, sandbox gateway)', () => {
  let api: TestApi;
  let sandbox: Sandbox;
  reliabilitySuite(
    (a, s) => {
      api = a;
      sandbox = s;
    },
    { eachTest: true },
  );
  before(() => setSetting('mode', 'async'));
  after(() => setSetting('mode', undefined));
  // Polls and the deadline at a fifth of real time.
  fastTimeFor(() => api);

  const created = () => sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/v1/images/tasks');
  const polls = () => sandbox.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/images/tasks/'));
  const synchronous = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/images/generations'));

  it('a task that reports "processing" for several polls ends with the image saved and linked', async () => {
    tried('faults', 'async task, 3 polls');
    sandbox.enqueue({ type: 'taskPolls', polls: 3 });
    const scene = await Scene.open(api, sandbox, 'async.md');
    const run = await generate(api);
    await scene.succeeded(run, 1);
    assert.equal(created().length, 1, 'one task created');
    assert.equal(polls().length, 4, 'three "processing" answers, then the finished task');
    assert.equal(synchronous().length, 0, 'nothing went to the synchronous endpoint');
    assert.ok(
      run.progress.some((m) => /Waiting for the server/.test(m)),
      `progress while polling: ${run.progress.join(' | ')}`,
    );
    for (const r of [...created(), ...polls()]) assert.equal(r.headers.authorization, `Bearer ${sandbox.key}`);
  });

  it('a task the provider reports as failed ends with its reason and nothing written', async () => {
    tried('faults', 'async task fails');
    sandbox.enqueue({ type: 'taskFails', message: 'content policy violation', polls: 2 });
    const scene = await Scene.open(api, sandbox, 'async-failed.md');
    await scene.failed(await generate(api), { message: /reports that task \S+ failed: content policy violation/ });
    assert.equal(polls().length, 3);
  });

  it('a task that never finishes ends at the deadline, says it may still finish, and writes nothing', async () => {
    tried('faults', 'async task never ends');
    await setSetting('timeoutSeconds', 10);
    try {
      sandbox.enqueue({ type: 'taskNeverEnds' });
      const scene = await Scene.open(api, sandbox, 'async-never.md');
      const run = await generate(api);
      await scene.failed(run, { message: /Task \S+ did not finish within 2 s\. It may still finish/ });
      assert.ok(polls().length >= 3, `kept polling until the deadline (${polls().length} polls)`);
      assert.ok(run.ms >= 1_900 && run.ms < 7_000, `ended at the deadline (${run.ms} ms)`);
    } finally {
      await setSetting('timeoutSeconds', undefined);
    }
  });

  it('a task answer of unknown shape is refused with a clear message and logged once', async () => {
    tried('faults', 'async task odd shape');
    sandbox.enqueue({ type: 'taskOddShape' });
    const scene = await Scene.open(api, sandbox, 'async-odd.md');
    await scene.failed(await generate(api), { message: /shape this extension does not know/ });
    const logged = api.services.log.recent.filter((l) => l.includes('Unrecognised task answer'));
    assert.equal(logged.length, 1, 'the unknown shape is logged once');
  });

  it('cancelling while polling stops at once and writes nothing', async () => {
    tried('faults', 'async task cancelled');
    sandbox.enqueue({ type: 'taskNeverEnds' });
    const scene = await Scene.open(api, sandbox, 'async-cancel.md');
    const controller = new AbortController();
    const run = await generate(api, {}, { signal: controller.signal, onProgress: (m) => /Waiting/.test(m) && controller.abort() });
    assert.ok(run.ms < 4_000, `ended at once (${run.ms} ms)`);
    assert.equal(created().length, 1, 'the task had been created when the cancel came');
    await scene.failed(run, { message: /ancelled/, status: 'cancelled' });
  });

  it('in sync mode a gateway timeout (524) names async mode as the way out', async () => {
    tried('faults', '524 offers async mode');
    await setSetting('mode', 'sync');
    try {
      sandbox.enqueue({ type: 'html', status: 524, title: 'A timeout occurred' });
      const scene = await Scene.open(api, sandbox, 'async-offer.md');
      await scene.failed(await generate(api), { message: /HTTP 524.*"gptImage\.mode": "async"/, httpStatus: 524 });
      assert.equal(created().length, 0, 'no task is created without asking');
    } finally {
      await setSetting('mode', 'async');
    }
  });
});
