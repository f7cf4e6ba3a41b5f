// Async image tasks: the poller against the sandbox over real HTTP, and the lenient reading of task answers.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { LogEvent, ProgressEvent } from '../../src/core/client';
import { ImageApiError } from '../../src/core/errors';
import { generateImagesAsync, parseTaskState, type TaskClientOptions } from '../../src/core/tasks';
import type { Sandbox } from '../../tools/sandbox/server';
import { nodeNetwork } from '../../src/core/transport.node';
import { reaching, small, withSandboxes } from './sandboxClient';

const NETWORK = nodeNetwork();

// Not sk- shaped, so only the client's own knowledge of the key can redact it.
const KEY = 'sandbox-key-5b7e21c9d3f04a88';

let sb: Sandbox;
let urlSb: Sandbox;
let logs: LogEvent[];

withSandboxes(KEY, (started) => ({ sb, urlSb } = started));
beforeEach(() => {
  logs = [];
});

function opts(extra: Partial<TaskClientOptions> = {}, sandbox = sb): TaskClientOptions {
  return {
    ...reaching(sandbox, NETWORK),
    pollIntervalMs: 5,
    onLog: (e) => logs.push(e),
    ...extra,
  };
}

async function failure(o: TaskClientOptions, req = small): Promise<ImageApiError> {
  try {
    await generateImagesAsync(req, o);
  } catch (err) {
    assert.ok(err instanceof ImageApiError, String(err));
    for (const text of [err.message, err.userMessage, err.serverMessage ?? '', JSON.stringify(logs)])
      assert.ok(!text.includes(KEY), `key leaked in: ${text}`);
    return err;
  }
  assert.fail('expected the task to fail');
}

const polls = (s = sb) => s.requests.filter((r) => r.method === 'GET' && /^\/v1\/images\/tasks\/[^/]+$/.test(r.path));

test('a task that takes several polls ends with real images of the asked size', async () => {
  sb.enqueue({ type: 'taskPolls', polls: 3 });
  const progress: ProgressEvent[] = [];
  const result = await generateImagesAsync({ ...small, n: 2 }, opts({ onProgress: (e) => progress.push(e) }));
  assert.equal(result.images.length, 2);
  for (const image of result.images) {
    assert.deepEqual([image.format, image.width, image.height], ['png', 256, 256]);
    assert.ok(image.bytes.length > 100);
  }
  assert.equal(polls().length, 4);
  const [created] = sb.requests;
  assert.equal(created.headers.authorization, `Bearer ${KEY}`);
  assert.deepEqual(created.json, { model: 'dall-e-2', prompt: 'A lighthouse at dusk', size: '256x256', n: 2 });
  const waits = progress.filter((e) => e.stage === 'waiting');
  assert.deepEqual(
    waits.map((e) => e.attempt),
    [1, 2, 3, 4],
  );
  // Backoff grows by half each poll.
  assert.ok(waits[1].delayMs! > waits[0].delayMs!);
});

test('image URLs of a finished task are downloaded without the key and sniffed', async () => {
  const result = await generateImagesAsync({ ...small, outputFormat: undefined }, opts({}, urlSb));
  assert.equal(result.images[0].width, 256);
  const files = urlSb.requests.filter((r) => r.path.includes('/files/'));
  assert.equal(files.length, 1);
  assert.equal(files[0].headers.authorization, undefined);
});

test('a failed task ends with its message and no images', async () => {
  sb.enqueue({ type: 'taskFails', message: 'Upstream render crashed' });
  const err = await failure(opts());
  assert.equal(err.kind, 'server');
  assert.match(err.userMessage, /task task_[0-9a-f]+ failed: Upstream render crashed/);
  assert.equal(err.serverMessage, 'Upstream render crashed');
});

test('a task that never ends times out naming the task id', async () => {
  sb.enqueue({ type: 'taskNeverEnds' });
  const started = Date.now();
  const err = await failure(opts({ timeoutMs: 1500 }));
  assert.equal(err.kind, 'timeout');
  const id = sb.requests
    .find((r) => r.method === 'GET')!
    .path.split('/')
    .pop()!;
  assert.ok(err.userMessage.includes(`Task ${id} did not finish within 1.5 s`), err.userMessage);
  assert.ok(Date.now() - started < 2500);
  assert.ok(polls().length >= 3);
});

test('a cancel during polling ends at once', async () => {
  sb.enqueue({ type: 'taskNeverEnds' });
  const controller = new AbortController();
  const o = opts({
    pollIntervalMs: 2000,
    signal: controller.signal,
    onProgress: (e) => void (e.stage === 'waiting' && setTimeout(() => controller.abort(), 20)),
  });
  const started = Date.now();
  const err = await failure(o);
  assert.equal(err.kind, 'cancelled');
  assert.match(err.userMessage, /task task_[0-9a-f]+ may still run/);
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
});

test('an answer of unknown shape fails as invalidResponse and is logged once', async () => {
  sb.enqueue({ type: 'taskOddShape' });
  const err = await failure(opts());
  assert.equal(err.kind, 'invalidResponse');
  assert.match(err.userMessage, /shape this extension does not know \(fields: job\)/);
  assert.equal(logs.filter((l) => /Unrecognised task answer/.test(l.error ?? '')).length, 1);
});

test('a wrong key fails as authentication without showing the key', async () => {
  const err = await failure(opts({ apiKey: `${KEY}x` }));
  assert.equal(err.kind, 'authentication');
  assert.ok(!err.userMessage.includes(`${KEY}x`));
});

test('the request is checked before anything is sent', async () => {
  const err = await failure(opts(), { ...small, n: 99 });
  assert.equal(err.kind, 'invalidRequest');
  assert.equal(sb.requests.length, 0);
});

test('parseTaskState: ids in task_id, id or data.task_id', () => {
  assert.deepEqual(parseTaskState({ task_id: 't1', status: 'pending' }), { state: 'running', taskId: 't1' });
  assert.deepEqual(parseTaskState({ id: 't2', status: 'queued' }), { state: 'running', taskId: 't2' });
  assert.deepEqual(parseTaskState({ code: 0, data: { task_id: 't3', status: 'IN_PROGRESS' } }), { state: 'running', taskId: 't3' });
  assert.deepEqual(parseTaskState({ id: 42, status: 'queued' }), { state: 'running', taskId: '42' }, 'a numeric id');
  assert.deepEqual(parseTaskState(JSON.parse('{"id": 1e999, "status": "queued"}')), { state: 'running' }, 'not an id: Infinity');
});

test('parseTaskState: every running, finished and failed status', () => {
  for (const status of ['pending', 'queued', 'processing', 'running', 'in_progress'])
    assert.equal(parseTaskState({ id: 'x', status }).state, 'running', status);
  for (const status of ['completed', 'succeeded', 'success', 'done'])
    assert.equal(parseTaskState({ id: 'x', status, data: [{ url: 'http://a/b.png' }] }).state, 'succeeded', status);
  for (const status of ['failed', 'error', 'cancelled', 'canceled', 'expired'])
    assert.equal(parseTaskState({ id: 'x', status }).state, 'failed', status);
});

test('parseTaskState: images under data, result.data, result.images or images', () => {
  const items = [{ b64_json: 'AAAA' }];
  for (const body of [
    { status: 'completed', data: items },
    { status: 'succeeded', result: { data: items } },
    { status: 'success', result: { images: items } },
    { status: 'done', images: items },
    { data: { task_id: 'w', status: 'completed', result: { images: items } } },
  ])
    assert.deepEqual(parseTaskState(body).items, items, JSON.stringify(body));
});

test('parseTaskState: the failure reason from error.message, fail_reason or message', () => {
  assert.equal(parseTaskState({ status: 'failed', error: { message: 'a' } }).error, 'a');
  assert.equal(parseTaskState({ status: 'failed', error: 'b' }).error, 'b');
  assert.equal(parseTaskState({ status: 'error', fail_reason: 'c' }).error, 'c');
  assert.equal(parseTaskState({ status: 'expired', message: 'd' }).error, 'd');
  assert.match(parseTaskState({ status: 'cancelled' }).error!, /cancelled/);
});

test('parseTaskState: unknown shapes are not guessed at', () => {
  assert.equal(
    parseTaskState({ id: 'x', status: 'paused', data: [{ url: 'http://a/b.png' }] }).state,
    'unknown',
    'images under an unknown status',
  );
  assert.equal(parseTaskState({ id: 'x', data: [{ url: 'http://a/b.png' }] }).state, 'succeeded', 'images without a status');
  for (const body of [null, 'done', [1], {}, { job: { phase: 'x' } }, { task_id: 'x', status: 'thinking' }, { status: 42 }])
    assert.equal(parseTaskState(body).state, 'unknown', JSON.stringify(body));
  assert.deepEqual(parseTaskState({ status: 'completed' }), { state: 'succeeded' });
});

test('a failed task whose reason quotes the key says the reason without the key', async () => {
  sb.enqueue({ type: 'taskFails', message: `Upstream refused the token ${KEY} for this request` });
  const err = await failure(opts());
  assert.equal(err.kind, 'server');
  assert.match(err.userMessage, /failed: Upstream refused the token \[REDACTED\] for this request/);
});

test('a status with spaces around it is read as the status', () => {
  assert.equal(parseTaskState({ status: ' completed ', data: [{ b64_json: 'aGk=' }] }).state, 'succeeded');
  assert.equal(parseTaskState({ task_id: ' t1 ', status: 'processing' }).taskId, 't1');
});

test('a task never streams, nor sends what the task endpoint does not document, whatever the request asked', async () => {
  await generateImagesAsync({ ...small, model: 'gpt-image-1', size: '1024x1024', partialImages: 2, background: 'opaque' }, opts());
  assert.deepEqual(sb.requests[0]?.json, { model: 'gpt-image-1', prompt: small.prompt, size: '1024x1024' });
});
