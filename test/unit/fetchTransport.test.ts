// The web extension host's transport (fetch, Web Streams) keeps the Node transport's contract: run here
// with Node's own fetch against the sandbox over real HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { generateImages, type ClientOptions, type PartialImage } from '../../src/core/client';
import { AddressGuard } from '../../src/core/addressGuard';
import { startDeadline } from '../../src/core/deadline';
import { downloadImage } from '../../src/core/download';
import { fetchFailure, fetchNetwork } from '../../src/core/transport.fetch';
import type { Sandbox } from '../../tools/sandbox/server';
import { failure, reaching, small, withSandboxes } from './sandboxClient';

const KEY = 'sandbox-key-fetch-51d04b6f';

let sb: Sandbox;
let urlSb: Sandbox;
withSandboxes(KEY, (started) => ({ sb, urlSb } = started));

const opts = (extra: Partial<ClientOptions> = {}, sandbox = sb): ClientOptions => ({
  ...reaching(sandbox, fetchNetwork()),
  maxRetries: 0,
  ...extra,
});

test('a base64 answer is decoded as it streams in, with the key sent to the gateway', async () => {
  const result = await generateImages({ ...small, n: 2 }, opts());
  assert.deepEqual(
    result.images.map((i) => [i.format, i.width, i.height, i.bytes instanceof Uint8Array]),
    [
      ['png', 256, 256, true],
      ['png', 256, 256, true],
    ],
  );
  const sent = sb.requests.filter((r) => r.path === '/v1/images/generations');
  assert.equal(sent[0]?.headers.authorization, `Bearer ${KEY}`);
});

test('a streamed answer hands on each preview, then the final image (Server-Sent Events through the same reader)', async () => {
  const seen: PartialImage[] = [];
  const result = await generateImages(
    { model: 'gpt-image-1', prompt: 'Otters', size: '1024x1024', partialImages: 2 },
    opts({ onPartialImage: (p) => seen.push(p) }),
  );
  assert.deepEqual(
    seen.map((p) => [p.partialIndex, p.format]),
    [
      [0, 'png'],
      [1, 'png'],
    ],
  );
  assert.equal(result.images.length, 1);
  assert.equal(result.images[0]!.width, 1024);
});

test('an image URL is downloaded through the image transport, without the key', async () => {
  const result = await generateImages(small, opts({}, urlSb));
  assert.equal(result.images[0]!.format, 'png');
  const download = urlSb.requests.find((r) => r.path.startsWith('/files/'));
  assert.ok(download, 'no download seen');
  assert.equal(download.headers.authorization, undefined);
});

test('an answer over the byte cap is refused while it is read', async () => {
  const err = await failure(generateImages(small, opts({ maxResponseBytes: 1000 })));
  assert.equal(err.kind, 'tooLarge', err.userMessage);
});

test('the deadline ends a request the gateway is slow to answer', async () => {
  sb.enqueue({ type: 'delay', ms: 3000 });
  const started = Date.now();
  const err = await failure(generateImages(small, opts({ timeoutMs: 300 })));
  assert.equal(err.kind, 'timeout', err.userMessage);
  assert.ok(Date.now() - started < 2500, 'ended at the deadline, not when the gateway answered');
});

test('cancel ends the request at once', async () => {
  sb.enqueue({ type: 'hang' });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const err = await failure(generateImages(small, opts({ signal: controller.signal })));
  assert.equal(err.kind, 'cancelled', err.userMessage);
});

test('a redirect from the gateway is not followed: the key goes to the base URL only', async () => {
  const elsewhere: string[] = [];
  const other = http.createServer((req, res) => (elsewhere.push(String(req.headers.authorization)), res.end('{}')));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const gateway = http.createServer((_req, res) => {
    res.writeHead(307, { location: `http://127.0.0.1:${(other.address() as AddressInfo).port}/v1/images/generations` });
    res.end();
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  try {
    const baseUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/v1`;
    const err = await failure(generateImages(small, opts({ baseUrl })));
    assert.equal(err.kind, 'invalidResponse', err.userMessage);
    assert.match(err.userMessage, /redirect/i);
    assert.deepEqual(elsewhere, []);
  } finally {
    gateway.close();
    other.close();
  }
});

test('an image download follows a redirect itself and says where it ended, for download.ts to check', async () => {
  const target = http.createServer((_req, res) => (res.writeHead(200, { 'content-type': 'image/png' }), res.end('png bytes')));
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const landed = `http://127.0.0.1:${(target.address() as AddressInfo).port}/b.png`;
  const hop = http.createServer((_req, res) => (res.writeHead(302, { location: landed }), res.end()));
  await new Promise<void>((r) => hop.listen(0, '127.0.0.1', r));
  const deadline = startDeadline(5000);
  try {
    const first = `http://127.0.0.1:${(hop.address() as AddressInfo).port}/a.png`;
    const got = await downloadImage(first, {
      deadline,
      maxBytes: 1e6,
      guard: new AddressGuard('127.0.0.1'),
      transport: fetchNetwork().images,
    });
    assert.equal(got.url, landed);
    assert.equal(new TextDecoder().decode(got.body), 'png bytes');
  } finally {
    deadline.dispose();
    hop.close();
    target.close();
  }
});

test('a closed port reads as a connection failure, retried like Node transport', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const err = await failure(generateImages(small, opts({ baseUrl: `http://127.0.0.1:${port}/v1` })));
  assert.equal(err.kind, 'network');
  assert.equal(err.retriable, true);
  assert.match(err.userMessage, /ECONNREFUSED/);
});

test("a browser's bare TypeError is explained as CORS in one line, naming the gateway's and the workbench's origins", () => {
  const deadline = startDeadline(5000);
  const o = { deadline, maxBytes: 1000, peer: 'gateway' as const };
  try {
    const blocked = fetchFailure(
      new TypeError('Failed to fetch'),
      'https://gw.example:8443/v1/images/generations',
      o,
      'https://abc.vscode-cdn.net',
    );
    assert.equal(blocked.kind, 'network');
    assert.match(blocked.userMessage, /must allow browser requests from https:\/\/abc\.vscode-cdn\.net/);
    assert.match(blocked.userMessage, /at https:\/\/gw\.example:8443:/);
    assert.ok(!blocked.userMessage.includes('\n'), 'one line');
    // Node's fetch says why (the socket's code): that is reported as such, not as CORS.
    const refused = fetchFailure(
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } }),
      'https://gw.example/v1',
      o,
      'https://abc.vscode-cdn.net',
    );
    assert.doesNotMatch(refused.userMessage, /browser/);
    assert.equal(refused.retriable, true);
    // Outside a browser there is no workbench origin to name.
    assert.doesNotMatch(fetchFailure(new TypeError('Failed to fetch'), 'https://gw.example/v1', o, undefined).userMessage, /CORS/);
  } finally {
    deadline.dispose();
  }
});

test('a cancel is a cancel, even though fetch rejects with an error of its own', () => {
  const controller = new AbortController();
  const deadline = startDeadline(5000, controller.signal);
  controller.abort();
  try {
    const err = fetchFailure(
      new DOMException('aborted', 'AbortError'),
      'https://gw.example/v1',
      { deadline, maxBytes: 1, peer: 'gateway' },
      'https://w.example',
    );
    assert.equal(err.kind, 'cancelled');
  } finally {
    deadline.dispose();
  }
});
