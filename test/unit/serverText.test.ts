// Server text quoted in a message never carries the key, whichever part of the client quoted it:
// a gateway that echoes the Authorization header into a body that is not JSON, a task status,
// or a task id.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { generateImages } from '../../src/core/client';
import { ImageApiError } from '../../src/core/errors';
import { generateImagesAsync } from '../../src/core/tasks';
import { nodeNetwork } from '../../src/core/transport.node';

const NETWORK = nodeNetwork();

// Not sk- or Bearer shaped in the text: only the client's knowledge of the key can hide it.
const KEY = 'gwkey5c0ffee5c0ffee5c0ffee';
const request = { model: 'dall-e-2', prompt: 'A lighthouse', size: '256x256' };

/** Answers 200 with the key echoed in the way `mode` says. */
let mode: 'text' | 'taskStatus' | 'taskId' = 'text';
let server: http.Server;
let baseUrl = '';

before(async () => {
  server = http.createServer((req, res) => {
    const echoed = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const json = (body: unknown) => (res.writeHead(200, { 'content-type': 'application/json' }), res.end(JSON.stringify(body)));
    if (mode === 'text') return void (res.writeHead(200, { 'content-type': 'text/plain' }), res.end(`token ${echoed} accepted`));
    if (mode === 'taskStatus') return json({ task_id: 't1', status: `weird-${echoed}` });
    return json({ task_id: `t-${echoed}`, status: 'processing' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => server.close());

async function message(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (err) {
    assert.ok(err instanceof ImageApiError, String(err));
    assert.ok(!String(err.serverMessage ?? '').includes(KEY), 'serverMessage');
    assert.ok(!err.message.includes(KEY), 'message');
    return err.userMessage;
  }
  assert.fail('expected a failure');
}

const opts = { baseUrl: '', apiKey: KEY, network: NETWORK, timeoutMs: 5000, sleep: async () => {}, pollIntervalMs: 1 };

test('a 200 body that is not JSON is quoted without the key', async () => {
  mode = 'text';
  const text = await message(generateImages(request, { ...opts, baseUrl }));
  assert.match(text, /not valid JSON \("token \[REDACTED\] accepted"\)/);
});

test("a task's unknown status is quoted without the key", async () => {
  mode = 'taskStatus';
  const text = await message(generateImagesAsync(request, { ...opts, baseUrl }));
  assert.match(text, /status "weird-\[REDACTED\]"/);
});

test('a task id that outlives the deadline is named without the key', async () => {
  mode = 'taskId';
  const text = await message(generateImagesAsync(request, { ...opts, baseUrl, timeoutMs: 300 }));
  assert.match(text, /Task t-\[REDACTED\] did not finish/);
});
