// The sandbox gateway itself: validation like the client's, exact renders, and faults driven over HTTP.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import sharp from 'sharp';
import { faultSchema } from '../../tools/sandbox/faults';
import { wrapText } from '../../tools/sandbox/render';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';

let sb: Sandbox;
let origin: string;

before(async () => {
  sb = await startSandbox({ key: 'sandbox-test-key' });
  origin = sb.baseUrl.replace(/\/v1$/, '');
});
after(() => sb.close());
beforeEach(() => sb.reset());

interface Answer {
  data: { b64_json?: string; url?: string; revised_prompt?: string }[];
  usage: { total_tokens: number };
  error: { message: string; param: string; code: string };
}

async function generate(body: unknown, key = sb.key): Promise<{ status: number; json: Answer }> {
  const res = await fetch(`${sb.baseUrl}/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Answer };
}

test('renders exactly the asked size and format', async () => {
  for (const [model, size, format] of [
    ['my-model', '320x192', 'png'],
    ['my-model', '192x320', 'jpeg'],
    ['gpt-image-1', '1024x1536', 'webp'],
  ]) {
    const { status, json } = await generate({
      model,
      prompt: 'A fox reading a very long book about '.repeat(20),
      size,
      output_format: format,
    });
    assert.equal(status, 200);
    const meta = await sharp(Buffer.from(json.data[0].b64_json!, 'base64')).metadata();
    assert.equal(`${meta.width}x${meta.height}`, size);
    assert.equal(meta.format, format);
  }
});

test('auto renders 1024x1024, n renders n images, dall-e-3 revises the prompt', async () => {
  const auto = await generate({ model: 'gpt-image-2-auto', prompt: 'p', size: 'auto', n: 2 });
  assert.equal(auto.json.data.length, 2);
  const meta = await sharp(Buffer.from(auto.json.data[1].b64_json!, 'base64')).metadata();
  assert.equal(`${meta.width}x${meta.height}`, '1024x1024');
  assert.equal(typeof auto.json.usage.total_tokens, 'number');
  const d3 = await generate({ model: 'dall-e-3', prompt: 'p', size: '1024x1024' });
  assert.match(d3.json.data[0].revised_prompt ?? '', /p$/);
});

test('requests are validated with the client rules, naming the wire param', async () => {
  const bad = await generate({ model: 'gpt-image-2-origin', prompt: 'p', size: '1000x1000' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.param, 'size');
  assert.match(bad.json.error.message, /1000x1000 is not available/);
  const format = await generate({ model: 'gpt-image-2-origin', prompt: 'p', output_format: 'gif' });
  assert.equal(format.json.error.param, 'output_format');
  const empty = await generate({ model: 'gpt-image-2-origin', prompt: ' ' });
  assert.equal(empty.json.error.param, 'prompt');
});

test('a wrong key gets an OpenAI-style 401 that masks the key', async () => {
  const res = await generate({ prompt: 'p' }, 'sandbox-wrong-key-1234');
  assert.equal(res.status, 401);
  assert.equal(res.json.error.code, 'invalid_api_key');
  assert.ok(!res.json.error.message.includes('sandbox-wrong-key-1234'));
});

test('faults can be queued, listed and reset over HTTP, and are validated', async () => {
  const queued = await fetch(`${origin}/__sandbox/faults`, {
    method: 'POST',
    body: JSON.stringify([{ type: 'status', status: 503, retryAfter: 7 }, { type: 'emptyData' }]),
  });
  assert.equal(queued.status, 200);
  const first = await fetch(`${sb.baseUrl}/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sb.key}` },
    body: '{}',
  });
  assert.equal(first.status, 503);
  assert.equal(first.headers.get('retry-after'), '7');
  const second = await generate({ model: 'dall-e-2', prompt: 'p', size: '256x256' });
  assert.deepEqual(second.json.data, []);
  const invalid = await fetch(`${origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ type: 'status', status: 200 }) });
  assert.equal(invalid.status, 400);
  const seen = (await (await fetch(`${origin}/__sandbox/requests`)).json()) as { path: string; headers: Record<string, string> }[];
  assert.equal(seen.length, 2);
  assert.equal(seen[0].headers.authorization, `Bearer ${sb.key}`);
  await fetch(`${origin}/__sandbox/reset`, { method: 'POST' });
  assert.equal(sb.requests.length, 0);
});

test('faults wait for their route', async () => {
  sb.enqueue({ type: 'status', status: 500, on: 'models' });
  assert.equal((await generate({ model: 'dall-e-2', prompt: 'p', size: '256x256' })).status, 200);
  const models = await fetch(`${sb.baseUrl}/models`, { headers: { authorization: `Bearer ${sb.key}` } });
  assert.equal(models.status, 500);
});

test('a redirect fault answers the next request with that status and Location, and the one after normally', async () => {
  sb.enqueue({ type: 'redirect', location: 'http://localhost:1/v1/images/generations' });
  const send = () =>
    fetch(`${sb.baseUrl}/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.key}` },
      body: JSON.stringify({ model: 'dall-e-2', prompt: 'p', size: '256x256' }),
      redirect: 'manual',
    });
  const moved = await send();
  assert.equal(moved.status, 307);
  assert.equal(moved.headers.get('location'), 'http://localhost:1/v1/images/generations');
  assert.equal(moved.headers.get('access-control-allow-origin'), '*', 'a browser may read it');
  assert.equal((await send()).status, 200);
  assert.ok(!faultSchema.safeParse({ type: 'redirect', status: 200, location: '/x' }).success);
});

test('url mode serves the bytes under /files', async () => {
  const res = await fetch(`${sb.baseUrl}/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sb.key}` },
    body: JSON.stringify({ model: 'dall-e-2', prompt: 'p', size: '512x512', response_format: 'url' }),
  });
  const url = ((await res.json()) as Answer).data[0].url ?? '';
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/files\/[0-9a-f]+\.png$/);
  const image = await fetch(url);
  assert.equal(image.headers.get('content-type'), 'image/png');
  assert.equal((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width, 512);
});

test('the fault schema refuses unknown types and bad values', () => {
  assert.ok(faultSchema.safeParse({ type: 'hang' }).success);
  assert.equal(faultSchema.parse({ type: 'echoAuth' }).type, 'echoAuth');
  assert.ok(!faultSchema.safeParse({ type: 'explode' }).success);
  assert.ok(!faultSchema.safeParse({ type: 'status', status: 700 }).success);
  assert.equal(faultSchema.parse({ type: 'noCors', on: 'tasks' }).type, 'noCors');
  assert.equal(faultSchema.parse({ type: 'noCors', on: 'files' }).type, 'noCors');
  assert.ok(!faultSchema.safeParse({ type: 'noCors', on: 'edits' }).success, 'edits share the generations route');
  assert.ok(!faultSchema.safeParse({ type: 'hang', on: 'files' }).success, 'only noCors reaches the image URLs');
  assert.throws(() => sb.enqueue({ type: 'urlLarge', bytes: -1 }));
});

test('wrapText wraps by words and marks a cut with an ellipsis', () => {
  assert.deepEqual(wrapText('one two three four', 9, 5), ['one two', 'three', 'four']);
  assert.deepEqual(wrapText('one two three four', 9, 2), ['one two', 'three…']);
  assert.deepEqual(wrapText('abcdefghijkl', 5, 5), ['abcde', 'fghij', 'kl']);
});
