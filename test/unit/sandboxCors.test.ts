// The sandbox answers a browser (the web extension host) as a gateway must: CORS headers on every answer
// and a 204 for every preflight, on every route the client uses; the noCors fault takes them away. Run
// over real HTTP with the fetch transport. Node's fetch checks no CORS, so the headers themselves are
// checked; browserFetch adds a browser's checks only to show the client's message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { generateImages, listModels, type ClientOptions } from '../../src/core/client';
import { editImages } from '../../src/core/edits';
import { generateImagesAsync } from '../../src/core/tasks';
import { fetchNetwork } from '../../src/core/transport.fetch';
import { browserFetch } from '../../tools/sandbox/browserFetch';
import type { Sandbox } from '../../tools/sandbox/server';
import { failure, reaching, small, withSandboxes } from './sandboxClient';

const KEY = 'sandbox-key-cors-7c1e';
const WORKBENCH = 'https://workbench.example';
const CORS = ['access-control-allow-origin', 'access-control-allow-headers', 'access-control-allow-methods'];
/** Request headers a browser sends without asking (with a simple value, which the client's are). */
const SAFELISTED = ['accept', 'accept-language', 'content-language'];

interface Seen {
  method: string;
  path: string;
  sent: Headers;
  status: number;
  headers: Headers;
}

let sb: Sandbox;
let urlSb: Sandbox;
withSandboxes(KEY, (started) => ({ sb, urlSb } = started));

/** Node's fetch, keeping every exchange: what was sent, and the answer's status and headers. */
function recording(): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const recorder: typeof fetch = async (input, init = {}) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init.method ?? 'GET';
    seen.push({ method, path: url.pathname, sent: new Headers(init.headers), status: response.status, headers: response.headers });
    return response;
  };
  return { fetch: recorder, seen };
}

/** The client's options with the web host's network: fetch, behind a browser's CORS checks when `browser`. */
function opts(sandbox: Sandbox, fetcher: typeof fetch, browser = true): ClientOptions {
  const network = fetchNetwork(browser ? { fetch: browserFetch(WORKBENCH, fetcher), origin: WORKBENCH } : { fetch: fetcher });
  return { ...reaching(sandbox, network), maxRetries: 0 };
}

const listed = (headers: Headers, name: string) => (headers.get(name) ?? '').split(',').map((v) => v.trim().toLowerCase());

test('every answer carries the CORS headers and every preflight gets 204, on every route the client uses', async () => {
  const { fetch: fetcher, seen } = recording();
  const source = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#268' } })
    .png()
    .toBuffer();
  await generateImages(small, opts(sb, fetcher));
  await generateImages({ model: 'gpt-image-1', prompt: 'Otters', size: '1024x1024', partialImages: 1 }, opts(sb, fetcher));
  await generateImages(small, opts(urlSb, fetcher));
  await editImages({ ...small, images: [{ name: 'a.png', bytes: source }] }, opts(sb, fetcher));
  await listModels(opts(sb, fetcher));
  await generateImagesAsync(small, { ...opts(urlSb, fetcher), sleep: async () => {}, pollIntervalMs: 1 });
  // An error answer too: the client must be able to read why it was refused.
  const refused = await failure(generateImages(small, { ...opts(sb, fetcher), apiKey: 'sk-wrong-key' }));
  assert.equal(refused.status, 401, refused.userMessage);

  const routes = new Set(seen.map((s) => `${s.method} ${s.path.replace(/[0-9a-f]{16}/, 'ID')}`));
  for (const route of [
    'OPTIONS /v1/images/generations',
    'POST /v1/images/generations',
    'GET /files/ID.png',
    'OPTIONS /v1/images/edits',
    'POST /v1/images/edits',
    'OPTIONS /v1/models',
    'GET /v1/models',
    'OPTIONS /v1/images/tasks',
    'POST /v1/images/tasks',
    'OPTIONS /v1/images/tasks/task_ID',
    'GET /v1/images/tasks/task_ID',
    'GET /v1/images/tasks/task_ID/files/0.png',
  ]) {
    assert.ok(routes.has(route), `${route} was exercised (${[...routes].join(', ')})`);
  }
  for (const s of seen) {
    const what = `${s.method} ${s.path} (${s.status})`;
    assert.equal(s.headers.get('access-control-allow-origin'), '*', what);
    assert.equal(s.headers.get('access-control-allow-methods'), 'GET, POST, OPTIONS', what);
    assert.deepEqual(listed(s.headers, 'access-control-allow-headers'), ['authorization', 'content-type'], what);
    // What the client reads back from an answer, which a browser hides unless exposed.
    assert.deepEqual(listed(s.headers, 'access-control-expose-headers'), ['retry-after', 'retry-after-ms', 'x-request-id'], what);
    if (s.method === 'OPTIONS') assert.equal(s.status, 204, what);
  }
  // Whatever the client sends, the gateway allows: the list is the client's own, not a guess.
  for (const s of seen.filter((x) => x.method !== 'OPTIONS')) {
    for (const [name, value] of s.sent) {
      if (name === 'origin' || SAFELISTED.includes(name) || (name === 'content-type' && value.startsWith('multipart/form-data'))) continue;
      assert.ok(listed(s.headers, 'access-control-allow-headers').includes(name), `${name} sent to ${s.path} is allowed`);
    }
  }
  assert.ok(seen.some((s) => s.sent.has('authorization')) && seen.some((s) => s.sent.get('content-type') === 'application/json'));
  // Preflights are the browser's, not the client's: the gateway's request log has none.
  assert.deepEqual(
    [...sb.requests, ...urlSb.requests].filter((r) => r.method === 'OPTIONS'),
    [],
  );
});

test('noCors: the preflight is refused without the headers, and the web host says the browser blocked the gateway', async () => {
  const { fetch: fetcher, seen } = recording();
  sb.enqueue({ type: 'noCors' });
  const err = await failure(generateImages(small, opts(sb, fetcher)));
  const gateway = new URL(sb.baseUrl).origin;
  assert.equal(err.kind, 'network');
  assert.equal(
    err.userMessage,
    `The browser could not reach the gateway at ${gateway}: if it is up, it must allow browser requests from ${WORKBENCH} (CORS: Access-Control-Allow-Origin, with Authorization and Content-Type in Access-Control-Allow-Headers).`,
  );
  assert.deepEqual(
    seen.map((s) => [s.method, s.path, s.status]),
    [['OPTIONS', '/v1/images/generations', 405]],
    'refused at the preflight: the request itself was never sent',
  );
  for (const name of CORS) assert.equal(seen[0]!.headers.get(name), null, name);
  assert.deepEqual(sb.requests, []);
  // Used up: the next request is answered as a browser needs.
  await generateImages(small, opts(sb, fetcher));
  assert.equal(seen.at(-1)?.headers.get('access-control-allow-origin'), '*');
});

test('noCors without a preflight: the answer itself comes without the headers (Node reads it; a browser would not)', async () => {
  const { fetch: fetcher, seen } = recording();
  sb.enqueue({ type: 'noCors' });
  await generateImages(small, opts(sb, fetcher, false));
  assert.deepEqual(
    seen.map((s) => [s.method, s.path, s.status]),
    [['POST', '/v1/images/generations', 200]],
  );
  for (const name of CORS) assert.equal(seen[0]!.headers.get(name), null, name);
});

test('noCors waits for its route: the model list, and a task poll', async () => {
  const { fetch: fetcher, seen } = recording();
  sb.enqueue({ type: 'noCors', on: 'models' });
  await generateImages(small, opts(sb, fetcher));
  assert.match((await failure(listModels(opts(sb, fetcher)))).userMessage, /must allow browser requests from https:\/\/workbench\.example/);
  const last = seen.at(-1)!;
  assert.deepEqual([last.method, last.path, last.status], ['OPTIONS', '/v1/models', 405]);

  // Queued once the task is created: its first poll's preflight is refused.
  const err = await failure(
    generateImagesAsync(small, {
      ...opts(urlSb, fetcher),
      sleep: async () => {},
      pollIntervalMs: 1,
      onProgress: (e) => void (e.stage === 'waiting' && e.attempt === 1 && urlSb.enqueue({ type: 'noCors', on: 'tasks' })),
    }),
  );
  assert.match(err.userMessage, /must allow browser requests/);
  const poll = seen.at(-1)!;
  assert.deepEqual([poll.method, poll.path.replace(/[0-9a-f]{16}/, 'ID'), poll.status], ['OPTIONS', '/v1/images/tasks/task_ID', 405]);
  assert.equal(urlSb.requests.filter((r) => r.method === 'GET').length, 0, 'no poll was sent');
});

test('noCors on files: the image URL comes without the headers, and the web host says the browser blocked the image server', async () => {
  const { fetch: fetcher, seen } = recording();
  urlSb.enqueue({ type: 'noCors', on: 'files' });
  const err = await failure(generateImages(small, opts(urlSb, fetcher)));
  assert.equal(err.kind, 'network');
  assert.equal(
    err.userMessage,
    `The browser could not reach the image server at ${new URL(urlSb.baseUrl).origin}: if it is up, it must allow browser requests from ${WORKBENCH} (CORS: Access-Control-Allow-Origin, with Authorization and Content-Type in Access-Control-Allow-Headers).`,
  );
  // The fault waited for its route: the generation itself was allowed; the download, which needs no preflight, was not.
  assert.deepEqual(
    seen.map((s) => [s.method, s.path.replace(/[0-9a-f]{16}/, 'ID'), s.status, s.headers.get('access-control-allow-origin')]),
    [
      ['OPTIONS', '/v1/images/generations', 204, '*'],
      ['POST', '/v1/images/generations', 200, '*'],
      ['GET', '/files/ID.png', 200, null],
    ],
  );
  for (const name of CORS) assert.equal(seen.at(-1)!.headers.get(name), null, name);
  // Used up: the next image URL is served as a browser needs.
  await generateImages(small, opts(urlSb, fetcher));
  assert.equal(seen.at(-1)?.headers.get('access-control-allow-origin'), '*');
  assert.match(seen.at(-1)!.path, /^\/files\//);

  // A preflight to an image URL is refused like any other route's.
  urlSb.enqueue({ type: 'noCors', on: 'files' });
  const preflight = (path: string) =>
    fetch(new URL(path, urlSb.baseUrl), {
      method: 'OPTIONS',
      headers: { origin: WORKBENCH, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
  const refused = await preflight(seen.at(-1)!.path);
  await refused.body?.cancel();
  assert.equal(refused.status, 405);
  for (const name of CORS) assert.equal(refused.headers.get(name), null, name);
  const allowed = await preflight(seen.at(-1)!.path);
  await allowed.body?.cancel();
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), '*');
});
