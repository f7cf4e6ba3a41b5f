// The client's guards that only a misbehaving gateway reaches: a key that would inject a header, a redirect
// answered to the API call, a signed image URL, server text holding the key. Each against a real local server.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, test } from 'node:test';
import { generateImages, listModels, type LogEvent, type ProgressEvent } from '../../src/core/client';
import { generateImagesAsync } from '../../src/core/tasks';
import { renderImage } from '../../tools/sandbox/render';
import type { Sandbox } from '../../tools/sandbox/server';
import { nodeNetwork } from '../../src/core/transport.node';
import { failure, small, withSandboxes } from './sandboxClient';

const NETWORK = nodeNetwork();

// Not sk- shaped, so only the client's own knowledge of the key can redact it.
const KEY = 'guard-key-0d8e4a7c13b2f9';

let sb: Sandbox;
let png: Buffer;

withSandboxes(KEY, (started) => void (sb = started.sb));
before(async () => {
  png = await renderImage({ prompt: 'guard', width: 16, height: 16, format: 'png', model: 'dall-e-2', index: 0, total: 1 });
});

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, origin: string) => void;

/** A one-off gateway answering with `handler`, closed after `fn`. */
async function withGateway<T>(handler: Handler, fn: (origin: string, seen: string[]) => Promise<T>): Promise<T> {
  const seen: string[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume().on('end', () => handler(req, res, origin));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    return await fn(origin, seen);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

test('a key with a line break is refused before anything is sent (no header injection)', async () => {
  for (const apiKey of [`${KEY}\r\nX-Injected: yes`, `${KEY}\nX-Injected: yes`, `first\rsecond-${KEY}`]) {
    const o = { baseUrl: sb.baseUrl, apiKey, network: NETWORK, timeoutMs: 5000, maxRetries: 0 };
    for (const call of [() => generateImages(small, o), () => listModels(o)]) {
      const err = await failure(call());
      assert.equal(err.kind, 'authentication', err.userMessage);
      assert.match(err.userMessage, /contains a line break/);
    }
  }
  assert.equal(sb.requests.length, 0, 'the gateway received a request');
});

test('a redirect answered to the API call is an error naming the redirect, even with an images body', async () => {
  for (const status of [301, 302, 307, 308]) {
    await withGateway(
      (_req, res, origin) => json(res, status, { data: [{ b64_json: png.toString('base64') }] }, { location: `${origin}/elsewhere` }),
      async (origin, seen) => {
        const err = await failure(generateImages(small, { baseUrl: origin, apiKey: KEY, network: NETWORK, timeoutMs: 5000 }));
        assert.equal(err.kind, 'invalidResponse', `${status}: ${err.userMessage}`);
        assert.equal(err.status, status);
        assert.match(err.userMessage, new RegExp(`redirect \\(HTTP ${status}\\)\\. Check the base URL`));
        assert.deepEqual(seen, ['POST /v1/images/generations'], 'the redirect is not followed');
      },
    );
  }
});

test('a signed image URL is logged without its query or fragment', async () => {
  const logs: LogEvent[] = [];
  const signature = 'X-Amz-Signature=4f1c0ffee9d2a7b3';
  const result = await withGateway(
    (req, res, origin) => {
      if (req.method === 'POST') return json(res, 200, { data: [{ url: `${origin}/files/image.png?${signature}&expires=1#part` }] });
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
      res.end(png);
    },
    async (origin, seen) => {
      const r = await generateImages(small, {
        baseUrl: origin,
        apiKey: KEY,
        network: NETWORK,
        timeoutMs: 5000,
        onLog: (e) => logs.push(e),
      });
      assert.deepEqual(seen, ['POST /v1/images/generations', `GET /files/image.png?${signature}&expires=1`], 'downloaded as given');
      assert.equal(logs.at(-1)?.endpoint, `${origin}/files/image.png`);
      return r;
    },
  );
  assert.equal(result.images.length, 1);
  assert.equal(logs.length, 2);
  assert.ok(!JSON.stringify(logs).includes(signature), JSON.stringify(logs));
});

test('server text holding the key is redacted in the log line (an async task of unknown status)', async () => {
  const logs: LogEvent[] = [];
  await withGateway(
    (_req, res) => json(res, 200, { task_id: 'task_1', status: KEY }),
    async (origin) => {
      const err = await failure(
        generateImagesAsync(small, { baseUrl: origin, apiKey: KEY, network: NETWORK, timeoutMs: 5000, onLog: (e) => logs.push(e) }),
      );
      assert.equal(err.kind, 'invalidResponse');
    },
  );
  const unrecognised = logs.find((l) => /Unrecognised task answer/.test(l.error ?? ''));
  assert.ok(unrecognised, JSON.stringify(logs));
  assert.match(unrecognised.error ?? '', /\[REDACTED\]/);
  assert.ok(!JSON.stringify(logs).includes(KEY), JSON.stringify(logs));
});

test('an image URL is followed through each redirect status: 301, 302, 303, 307 and 308', async () => {
  for (const status of [301, 302, 303, 307, 308]) {
    await withGateway(
      (req, res, origin) => {
        if (req.method === 'POST') return json(res, 200, { data: [{ url: `${origin}/first.png` }] });
        if (req.url === '/first.png') return void res.writeHead(status, { location: '/second.png' }).end();
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
      },
      async (origin, seen) => {
        const result = await generateImages(small, { baseUrl: origin, apiKey: KEY, network: NETWORK, timeoutMs: 5000 });
        assert.equal(result.images.length, 1, String(status));
        assert.deepEqual(seen.slice(1), ['GET /first.png', 'GET /second.png'], String(status));
      },
    );
  }
});

test('a model list larger than 8 MB is not read', async () => {
  const entry = '{"id":"gpt-image-1","object":"model"},';
  const entries = Math.ceil((8 * 1024 * 1024) / entry.length);
  const body = `{"object":"list","data":[${entry.repeat(entries)}{"id":"last"}]}`;
  await withGateway(
    (_req, res) => void res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body),
    async (origin) => {
      const err = await failure(listModels({ baseUrl: origin, apiKey: KEY, network: NETWORK, timeoutMs: 10_000 }));
      assert.equal(err.kind, 'tooLarge', err.userMessage);
    },
  );
});

test('an unknown task answer is described by its first eight field names only', async () => {
  const fields = Object.fromEntries('abcdefghij'.split('').map((k) => [k, 1]));
  await withGateway(
    (_req, res) => json(res, 200, fields),
    async (origin) => {
      const err = await failure(generateImagesAsync(small, { baseUrl: origin, apiKey: KEY, network: NETWORK, timeoutMs: 5000 }));
      assert.match(err.userMessage, /\(fields: a, b, c, d, e, f, g, h\)/);
    },
  );
});

test('a task that is done when created reports its images as attempt 1', async () => {
  const progress: ProgressEvent[] = [];
  await withGateway(
    (_req, res) => json(res, 200, { id: 'task_9', status: 'completed', data: [{ b64_json: png.toString('base64') }] }),
    async (origin, seen) => {
      const result = await generateImagesAsync(small, {
        baseUrl: origin,
        apiKey: KEY,
        network: NETWORK,
        timeoutMs: 5000,
        onProgress: (e) => progress.push(e),
      });
      assert.equal(result.images.length, 1);
      assert.deepEqual(seen, ['POST /v1/images/tasks'], 'nothing to poll');
    },
  );
  assert.deepEqual(
    progress.filter((e) => e.stage === 'decoding').map((e) => e.attempt),
    [1],
  );
});

test('a finished task whose image URL hangs times out naming the image server, not the gateway', async () => {
  await withGateway(
    (req, res, origin) => {
      if (req.method === 'POST') return json(res, 200, { id: 'task_7', status: 'completed', data: [{ url: `${origin}/slow.png` }] });
      res.writeHead(200, { 'content-type': 'image/png' }); // and nothing more
    },
    async (origin) => {
      const err = await failure(generateImagesAsync(small, { baseUrl: origin, apiKey: KEY, network: NETWORK, timeoutMs: 800 }));
      assert.equal(err.kind, 'timeout');
      assert.match(err.userMessage, /^No complete answer from the image server within 0\.8 s/);
    },
  );
});

test('an answer of exactly the byte cap is read, and the log counts its bytes', async () => {
  const text = JSON.stringify({ data: [{ b64_json: png.toString('base64') }] });
  const logs: LogEvent[] = [];
  await withGateway(
    (_req, res) => json(res, 200, JSON.parse(text)),
    async (origin) => {
      const o = { baseUrl: origin, apiKey: KEY, network: NETWORK, timeoutMs: 5000, onLog: (e: LogEvent) => logs.push(e) };
      const result = await generateImages(small, { ...o, maxResponseBytes: Buffer.byteLength(text) });
      assert.equal(result.images.length, 1);
      const err = await failure(generateImages(small, { ...o, maxResponseBytes: Buffer.byteLength(text) - 1 }));
      assert.equal(err.kind, 'tooLarge');
    },
  );
  assert.equal(logs[0]?.bytes, Buffer.byteLength(text));
});
