// The sandbox's streamed answers (stream: true) read over real HTTP: event order, previews that
// sharpen toward the final picture, the pace, and each mid-stream fault.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import sharp from 'sharp';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { editRequest, generationRequest, imageOf, readStreamed } from './sandboxHttp';

let sb: Sandbox;
let origin: string;

before(async () => {
  sb = await startSandbox({ key: 'sandbox-stream-key' });
  origin = sb.baseUrl.replace(/\/v1$/, '');
});
after(() => sb.close());
beforeEach(() => {
  sb.reset();
  sb.setStreamDelay(0);
});

// A model the catalog does not know takes any size, so the pictures can be tiny.
const ask = (extra: Record<string, unknown> = {}) => ({ model: 'sandbox-tiny', prompt: 'A fox in the snow', size: '64x48', ...extra });

async function stream(extra: Record<string, unknown> = {}) {
  return readStreamed(await generationRequest(sb, ask({ stream: true, ...extra })));
}

test('each image streams its partial previews, then its completed event with usage', async () => {
  const answer = await stream({ n: 2, partial_images: 2, output_format: 'webp' });
  assert.equal(answer.status, 200);
  assert.equal(answer.contentType, 'text/event-stream');
  assert.deepEqual(
    answer.events.map((e) => [e.event, e.data.partial_image_index]),
    [
      ['image_generation.partial_image', 0],
      ['image_generation.partial_image', 1],
      ['image_generation.completed', undefined],
      ['image_generation.partial_image', 0],
      ['image_generation.partial_image', 1],
      ['image_generation.completed', undefined],
    ],
  );
  for (const e of answer.events) {
    assert.equal(e.data.type, e.event);
    assert.equal(e.data.size, '64x48');
    assert.equal(e.data.output_format, 'webp');
    assert.equal(e.data.background, 'auto');
    assert.equal(typeof e.data.created_at, 'number');
    assert.equal(e.event?.endsWith('completed'), e.data.usage !== undefined, 'usage only on completed events');
    const meta = await sharp(imageOf(e)).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [64, 48, 'webp']);
  }
  const usage = answer.events[2].data.usage as { total_tokens: number; input_tokens_details: { text_tokens: number } };
  assert.ok(usage.total_tokens > 0 && usage.input_tokens_details.text_tokens > 0);
  assert.match(answer.text, /^: keep-alive\n\nevent: image_generation\.partial_image\ndata: \{/);
});

test('partial_images 0 streams the completed events alone, and previews are only sent when asked', async () => {
  const answer = await stream({ n: 2 });
  assert.deepEqual(
    answer.events.map((e) => e.event),
    ['image_generation.completed', 'image_generation.completed'],
  );
  const plain = await generationRequest(sb, ask({ partial_images: 2 }));
  assert.equal(plain.headers.get('content-type'), 'application/json');
});

/** Mean absolute difference over all channels. */
async function distance(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((img) => sharp(img).ensureAlpha().raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i] - y[i]);
  return sum / x.length;
}

test('previews sharpen toward the final picture', async () => {
  const answer = await stream({ size: '160x96', partial_images: 3 });
  const final = imageOf(answer.events[3]);
  const distances = await Promise.all(answer.events.slice(0, 3).map((e) => distance(imageOf(e), final)));
  assert.ok(distances[0] > distances[1] && distances[1] > distances[2] && distances[2] > 0, `distances ${distances.join(', ')}`);
});

test('edits stream image_edit events', async () => {
  const answer = await readStreamed(
    await editRequest(sb, { model: 'sandbox-tiny', prompt: 'Add a hat', stream: 'true', partial_images: '1', output_format: 'jpeg' }),
  );
  assert.deepEqual(
    answer.events.map((e) => e.event),
    ['image_edit.partial_image', 'image_edit.completed'],
  );
  const meta = await sharp(imageOf(answer.events[0])).metadata();
  assert.deepEqual([meta.width, meta.height, meta.format], [48, 32, 'jpeg']);
});

test('the pace between events is set through the control API', async () => {
  const set = await fetch(`${origin}/__sandbox/pace`, { method: 'POST', body: JSON.stringify({ ms: 60 }) });
  assert.deepEqual(await set.json(), { ms: 60 });
  assert.deepEqual(await (await fetch(`${origin}/__sandbox/pace`)).json(), { ms: 60 });
  const answer = await stream({ partial_images: 2 });
  const eventTimes = answer.chunks.filter((c) => c.text.includes('event: ')).map((c) => c.at);
  assert.equal(answer.events.length, 3);
  assert.ok(eventTimes[eventTimes.length - 1] - eventTimes[0] >= 110, `events at ${eventTimes.join(', ')} ms`);
  const bad = await fetch(`${origin}/__sandbox/pace`, { method: 'POST', body: JSON.stringify({ ms: -1 }) });
  assert.equal(bad.status, 400);
});

test('stream options are checked, naming the param', async () => {
  for (const [extra, param] of [
    [{ stream: true, partial_images: 4 }, 'partial_images'],
    [{ stream: 'yes' }, 'stream'],
    [{ stream: true, partial_images: 1.5 }, 'partial_images'],
  ] as const) {
    const res = await generationRequest(sb, ask(extra));
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { param: string } }).error.param, param);
  }
});

test('streamCut: one preview, then the connection is destroyed before any completed event', async () => {
  sb.enqueue({ type: 'streamCut' });
  const answer = await stream({ partial_images: 3 });
  assert.ok(answer.error, 'the body should end in an error');
  assert.deepEqual(
    answer.events.map((e) => e.event),
    ['image_generation.partial_image'],
  );
});

test('streamError: one preview, then an error event with an OpenAI error body, then the end', async () => {
  sb.enqueue({ type: 'streamError', message: 'Upstream fell over', code: 'upstream_error' });
  const answer = await stream({ partial_images: 2 });
  assert.equal(answer.error, undefined);
  assert.deepEqual(
    answer.events.map((e) => e.event),
    ['image_generation.partial_image', 'error'],
  );
  assert.deepEqual(answer.events[1].data, {
    type: 'error',
    error: { message: 'Upstream fell over', type: 'server_error', code: 'upstream_error' },
  });
});

test('streamKeepAliveOnly: comment lines and no event until the client gives up; its timer goes with the connection', async () => {
  const live = new Set<unknown>();
  const [realSet, realClear] = [globalThis.setInterval, globalThis.clearInterval];
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    const handle = realSet(...args);
    live.add(handle);
    return handle;
  }) as typeof setInterval;
  globalThis.clearInterval = ((handle: Parameters<typeof clearInterval>[0]) => {
    live.delete(handle);
    realClear(handle);
  }) as typeof clearInterval;
  try {
    sb.enqueue({ type: 'streamKeepAliveOnly', everyMs: 2 });
    const abort = new AbortController();
    const res = await generationRequest(sb, ask({ stream: true, partial_images: 1 }), abort.signal);
    let text = '';
    const decoder = new TextDecoder();
    const reader = res.body!.getReader();
    while ((text.match(/: keep-alive/g) ?? []).length < 5) text += decoder.decode((await reader.read()).value);
    assert.equal(live.size, 1, 'one keep-alive timer while the stream is open');
    assert.doesNotMatch(text, /event:|data:/);
    abort.abort();
    await reader.read().catch(() => undefined);
    for (let i = 0; i < 100 && live.size; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(live.size, 0, 'the keep-alive timer outlived the connection');
  } finally {
    for (const handle of live) realClear(handle as Parameters<typeof clearInterval>[0]); // a leaked timer would keep the run alive
    globalThis.setInterval = realSet;
    globalThis.clearInterval = realClear;
  }
});

test('streamJson: the stream flag is ignored and the ordinary JSON body comes back, for edits too', async () => {
  sb.enqueue({ type: 'streamJson' });
  const res = await generationRequest(sb, ask({ stream: true, partial_images: 2 }));
  assert.equal(res.headers.get('content-type'), 'application/json');
  const json = (await res.json()) as { data: { b64_json: string }[] };
  assert.equal((await sharp(Buffer.from(json.data[0].b64_json, 'base64')).metadata()).width, 64);
  sb.enqueue({ type: 'streamJson' });
  const edit = await editRequest(sb, { model: 'sandbox-tiny', prompt: 'p', stream: 'true' });
  assert.equal(edit.headers.get('content-type'), 'application/json');
});

test('streamCompletedOnly: no previews, only the completed events', async () => {
  sb.enqueue({ type: 'streamCompletedOnly' });
  const answer = await stream({ n: 2, partial_images: 3 });
  assert.deepEqual(
    answer.events.map((e) => e.event),
    ['image_generation.completed', 'image_generation.completed'],
  );
});

test('streamChunkedCrlf: CRLF line endings in many small writes, the same events', async () => {
  sb.enqueue({ type: 'streamChunkedCrlf' });
  const answer = await stream({ partial_images: 1 });
  assert.deepEqual(
    answer.events.map((e) => [e.event, e.data.partial_image_index]),
    [
      ['image_generation.partial_image', 0],
      ['image_generation.completed', undefined],
    ],
  );
  assert.match(answer.text, /\r\n/);
  assert.doesNotMatch(answer.text, /[^\r]\n/, 'every line ends in CRLF');
  assert.ok(answer.chunks.length > 4, `${answer.chunks.length} reads`);
  assert.equal((await sharp(imageOf(answer.events[1])).metadata()).width, 64);
});

test('a stream fault taken by a request without stream leaves its answer alone', async () => {
  sb.enqueue({ type: 'streamCut' });
  const res = await generationRequest(sb, ask());
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { data: unknown[] }).data.length, 1);
});

test('answer faults shape streams too: emptyData sends no event, notImage streams bytes that are not an image', async () => {
  sb.enqueue({ type: 'emptyData' });
  const empty = await stream({ partial_images: 1 });
  assert.equal(empty.error, undefined);
  assert.deepEqual(empty.events, []);
  sb.enqueue({ type: 'notImage' });
  const junk = await stream({ partial_images: 1 });
  assert.deepEqual(
    junk.events.map((e) => [e.event, imageOf(e).toString().slice(0, 6)]),
    [
      ['image_generation.partial_image', '<html>'],
      ['image_generation.completed', '<html>'],
    ],
  );
});
