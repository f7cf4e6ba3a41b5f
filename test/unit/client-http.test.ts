// The client against the sandbox gateway over real HTTP, one test per way a gateway can fail.
import axios from 'axios';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, test } from 'node:test';
import { AddressGuard } from '../../src/core/addressGuard';
import { generateImages, listModels, type ClientOptions, type LogEvent, type ProgressEvent } from '../../src/core/client';
import { startDeadline } from '../../src/core/deadline';
import { downloadImage } from '../../src/core/download';
import { ImageApiError } from '../../src/core/errors';
import type { GenerateRequest } from '../../src/core/request';
import type { Sandbox } from '../../tools/sandbox/server';
import { nodeNetwork } from '../../src/core/transport.node';
import { reaching, small, withSandboxes } from './sandboxClient';

const NETWORK = nodeNetwork();

// Not sk- shaped, so only the client's own knowledge of the key can redact it.
const KEY = 'sandbox-key-7f3a9c2e51d04b6f';

let sb: Sandbox;
let urlSb: Sandbox;
let delays: number[];
let logs: LogEvent[];

withSandboxes(KEY, (started) => ({ sb, urlSb } = started));
beforeEach(() => {
  delays = [];
  logs = [];
});

/** Retry waits are recorded, not slept. */
function opts(extra: Partial<ClientOptions> = {}, sandbox = sb): ClientOptions {
  return {
    ...reaching(sandbox, NETWORK),
    random: () => 1,
    sleep: async (ms) => void delays.push(ms),
    onLog: (e) => logs.push(e),
    ...extra,
  };
}

async function failure(req: GenerateRequest, o: ClientOptions): Promise<ImageApiError> {
  try {
    await generateImages(req, o);
  } catch (err) {
    assert.ok(err instanceof ImageApiError, String(err));
    return err;
  }
  assert.fail('expected the generation to fail');
}

const generations = (s = sb) => s.requests.filter((r) => r.path.startsWith('/v1/images/generations'));
const downloads = (s = urlSb) => s.requests.filter((r) => r.path.startsWith('/files/'));

function assertNoKey(err: ImageApiError): void {
  for (const text of [err.message, err.userMessage, err.serverMessage ?? '', JSON.stringify(logs)]) {
    assert.ok(!text.includes(KEY), `key leaked in: ${text}`);
  }
}

test('b64_json answer: real images of the asked size and format, with usage and request id', async () => {
  const progress: ProgressEvent[] = [];
  const result = await generateImages({ ...small, n: 2 }, opts({ onProgress: (e) => progress.push(e) }));
  assert.equal(result.images.length, 2);
  for (const image of result.images)
    assert.deepEqual({ ...image, bytes: undefined }, { bytes: undefined, format: 'png', width: 256, height: 256 });
  assert.equal(result.retries, 0);
  assert.equal(result.requestId, 'req_sandbox_1');
  assert.equal(typeof result.usage?.total_tokens, 'number');
  assert.equal(typeof result.created, 'number');
  const [sent] = generations();
  assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
  assert.deepEqual(sent.json, { model: 'dall-e-2', prompt: 'A lighthouse at dusk', size: '256x256', n: 2 });
  assert.deepEqual(
    progress.map((p) => p.stage),
    ['sending', 'waiting', 'decoding', 'decoding'],
  );
  assert.equal(logs.length, 1);
  assert.equal(logs[0].status, 200);
});

test('url answer: downloaded at once, without the Authorization header', async () => {
  const result = await generateImages(
    { model: 'my-gateway-model', prompt: 'Otters', size: '320x192', outputFormat: 'jpeg' },
    opts({}, urlSb),
  );
  assert.deepEqual({ ...result.images[0], bytes: undefined }, { bytes: undefined, format: 'jpeg', width: 320, height: 192 });
  const [download] = downloads();
  assert.ok(download, 'no download request seen');
  assert.equal(download.headers.authorization, undefined);
  assert.equal(generations(urlSb)[0].headers.authorization, `Bearer ${KEY}`);
});

test('the downloader drops an Authorization header set on axios defaults before it was made', async () => {
  axios.defaults.headers.common.Authorization = `Bearer ${KEY}`;
  try {
    // A network made after the defaults were polluted.
    const fresh = nodeNetwork();
    await generateImages(small, opts({ network: fresh }, urlSb));
    const url = `${urlSb.baseUrl.replace(/\/v1$/, '')}${downloads()[0].path}`;
    const deadline = startDeadline(5000);
    const got = await downloadImage(url, { deadline, maxBytes: 1e6, guard: new AddressGuard('127.0.0.1'), transport: fresh.images });
    deadline.dispose();
    assert.equal(got.status, 200);
    assert.equal(downloads()[0].headers.authorization, undefined);
    assert.equal(downloads()[1].headers.authorization, undefined);
  } finally {
    delete axios.defaults.headers.common.Authorization;
  }
});

test('500 then 200 succeeds after one retry, with exactly two generation requests', async () => {
  sb.enqueue({ type: 'status', status: 500, message: 'upstream failed' });
  const result = await generateImages(small, opts());
  assert.equal(result.retries, 1);
  assert.equal(generations().length, 2);
  assert.deepEqual(delays, [500]);
});

test('a 400 is sent once and not retried', async () => {
  sb.enqueue({ type: 'status', status: 400, message: 'Invalid size', param: 'size', code: 'invalid_value' });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'badRequest');
  assert.equal(err.status, 400);
  assert.equal(err.serverMessage, 'Invalid size');
  assert.match(err.userMessage, /HTTP 400 invalid_value, size: Invalid size/);
  assert.equal(generations().length, 1);
  assert.equal(err.retries, 0);
});

test('a wrong key gives an authentication error, once', async () => {
  const err = await failure(small, { ...opts(), apiKey: 'wrong-key-123456' });
  assert.equal(err.kind, 'authentication');
  assert.equal(err.status, 401);
  assert.match(err.userMessage, /refused the API key/);
  assert.equal(generations().length, 1);
});

test('403 is a permission error', async () => {
  sb.enqueue({ type: 'status', status: 403, message: 'This key cannot use gpt-image-2', code: 'permission_denied' });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'permission');
  assert.equal(generations().length, 1);
});

test('404 model_not_found names the model', async () => {
  sb.enqueue({ type: 'status', status: 404, message: 'The model `dall-e-2` does not exist', code: 'model_not_found' });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'notFound');
  assert.match(err.userMessage, /Model "dall-e-2" is not available for this key/);
  assert.equal(generations().length, 1);
});

test('a moderation rejection is worded as a safety refusal', async () => {
  sb.enqueue({
    type: 'status',
    status: 400,
    message: 'Your request was rejected by the safety system.',
    errorType: 'image_generation_user_error',
    code: 'moderation_blocked',
  });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'badRequest');
  assert.equal(err.code, 'moderation_blocked');
  assert.match(err.userMessage, /safety system refused/);
  assert.equal(generations().length, 1);
});

test('413 and 422 are not retried', async () => {
  sb.enqueue({ type: 'status', status: 413, message: 'Payload too large' });
  assert.equal((await failure(small, opts())).kind, 'tooLarge');
  sb.enqueue({ type: 'status', status: 422, message: 'Unprocessable' });
  assert.equal((await failure(small, opts())).kind, 'badRequest');
  assert.equal(generations().length, 2);
});

test('429 without Retry-After backs off exponentially and gives up after two retries', async () => {
  sb.enqueue(
    ...Array.from({ length: 3 }, () => ({
      type: 'status' as const,
      status: 429,
      message: 'Rate limit reached',
      code: 'rate_limit_exceeded',
    })),
  );
  const err = await failure(small, opts());
  assert.equal(err.kind, 'rateLimit');
  assert.equal(err.retries, 2);
  assert.match(err.userMessage, /gave up after 2 retries/);
  assert.deepEqual(delays, [500, 1000]);
  assert.equal(generations().length, 3);
});

test('429 with Retry-After in seconds waits that long', async () => {
  sb.enqueue({ type: 'status', status: 429, retryAfter: 2 });
  await generateImages(small, opts());
  assert.deepEqual(delays, [2000]);
});

test('429 with Retry-After as an HTTP date waits until then', async () => {
  sb.enqueue({ type: 'status', status: 429, retryAfter: new Date(Date.now() + 5000).toUTCString() });
  await generateImages(small, opts());
  assert.equal(delays.length, 1);
  assert.ok(delays[0] > 2000 && delays[0] <= 5000, `waited ${delays[0]} ms`);
});

test('retry-after-ms is honoured with the real sleep', async () => {
  sb.enqueue({ type: 'status', status: 503, retryAfterMs: 20 });
  const result = await generateImages(small, { ...opts(), sleep: undefined });
  assert.equal(result.retries, 1);
});

test('a Retry-After beyond 60 s is not waited for, and the error says so', async () => {
  sb.enqueue({ type: 'status', status: 429, retryAfter: 120 });
  const err = await failure(small, opts());
  assert.match(err.userMessage, /not retried: the server asked to wait 120 s/);
  assert.deepEqual(delays, []);
  assert.equal(generations().length, 1);
});

test('500 three times: two retries, then the server error', async () => {
  sb.enqueue({ type: 'status', status: 500 }, { type: 'status', status: 500 }, { type: 'status', status: 500 });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'server');
  assert.equal(err.retries, 2);
  assert.equal(generations().length, 3);
});

test('502 HTML pages are retried and reported by status and first line', async () => {
  sb.enqueue({ type: 'html', status: 502 }, { type: 'html', status: 502 }, { type: 'html', status: 502 });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'server');
  assert.equal(err.serverMessage, '502 Bad Gateway');
  assert.match(err.userMessage, /HTTP 502: 502 Bad Gateway/);
  assert.equal(generations().length, 3);
});

test('504 HTML says the gateway timed out and suggests a smaller size', async () => {
  sb.enqueue({ type: 'html', status: 504 });
  const err = await failure(small, { ...opts(), maxRetries: 0 });
  assert.equal(err.kind, 'timeout');
  assert.equal(err.status, 504);
  assert.match(err.userMessage, /timed out.*smaller size or lower quality/);
});

test('524 (a CDN timing out while the upstream may still bill) is not retried', async () => {
  sb.enqueue({ type: 'html', status: 524, title: 'api.example.com | 524: A timeout occurred' });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'timeout');
  assert.match(err.userMessage, /HTTP 524: api\.example\.com \| 524: A timeout occurred/);
  assert.equal(generations().length, 1);
});

test('a connection cut mid-body is a network error, not retried', async () => {
  sb.enqueue({ type: 'cutMidBody' });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'network');
  assert.match(err.userMessage, /while reading the answer.*not retried/);
  assert.equal(generations().length, 1);
  // The status line and headers arrived before the cut: they stay, for the log and the provider's support.
  assert.equal(err.status, 200);
  assert.match(err.requestId ?? '', /^req_sandbox_\d+$/);
});

test('a connection reset before any answer is not retried either', async () => {
  sb.enqueue({ type: 'drop' });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'network');
  assert.match(err.userMessage, /not retried, since the image may already be billed/);
  assert.equal(generations().length, 1);
  assert.equal(err.status, undefined, 'no answer, no status');
});

test('a refused connection (nothing sent) is retried', async () => {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  const err = await failure(small, { ...opts(), baseUrl: `http://127.0.0.1:${port}` });
  assert.equal(err.kind, 'network');
  assert.equal(err.retries, 2);
  assert.match(err.userMessage, /Could not connect to the gateway \(ECONNREFUSED\)/);
});

test('a truncated JSON body with status 200 is an invalid answer', async () => {
  sb.enqueue({ type: 'truncatedJson' });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'invalidResponse');
  assert.match(err.userMessage, /not valid JSON/);
  assert.equal(err.requestId, 'req_sandbox_1');
  assert.equal(generations().length, 1);
});

test('malformed JSON is an invalid answer', async () => {
  sb.enqueue({ type: 'malformedJson' });
  assert.match((await failure(small, opts())).userMessage, /not valid JSON/);
});

test('JSON of the wrong shape is an invalid answer', async () => {
  sb.enqueue({ type: 'wrongShape' });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'invalidResponse');
  assert.match(err.userMessage, /no "data" list/);
});

test('an empty data list is an invalid answer', async () => {
  sb.enqueue({ type: 'emptyData' });
  assert.match((await failure(small, opts())).userMessage, /the "data" list is empty/);
});

test('b64_json that is not an image is never returned', async () => {
  sb.enqueue({ type: 'notImage' });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'invalidResponse');
  assert.match(err.userMessage, /image 1 of 1 is not a PNG, JPEG or WebP image/);
});

test('an image in another format than asked is accepted and reported as what it is', async () => {
  sb.enqueue({ type: 'otherFormat', format: 'webp' });
  const result = await generateImages({ ...small, model: 'gpt-image-1', size: '1024x1024', outputFormat: 'png', quality: 'low' }, opts());
  assert.deepEqual({ ...result.images[0], bytes: undefined }, { bytes: undefined, format: 'webp', width: 1024, height: 1024 });
});

test('an image URL answering 404 fails the generation', async () => {
  sb.enqueue({ type: 'urlStatus', status: 404 });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'notFound');
  assert.match(err.userMessage, /HTTP 404 \(it may have expired\)/);
});

test('an image URL answering 403 or 410 may have expired too; a 500 is not called expired', async () => {
  for (const status of [403, 410, 500]) {
    sb.enqueue({ type: 'urlStatus', status });
    const err = await failure(small, opts());
    assert.equal(err.status, status);
    assert.equal(/\(it may have expired\)/.test(err.userMessage), status !== 500, err.userMessage);
  }
});

test('an image URL that hangs is ended by the deadline', async () => {
  sb.enqueue({ type: 'urlHang' });
  const err = await failure(small, opts({ timeoutMs: 1000 }));
  assert.equal(err.kind, 'timeout');
  assert.match(err.userMessage, /the image server within 1 s/);
});

test('a redirect to a non-http scheme is refused', async () => {
  for (const location of ['ftp://files.example.com/a.png', 'file:///etc/passwd']) {
    sb.enqueue({ type: 'urlRedirect', location });
    const err = await failure(small, opts());
    assert.equal(err.kind, 'invalidResponse');
    assert.match(err.userMessage, /redirected to a URL with scheme (ftp|file):/);
  }
});

test('up to three redirects are followed, more are refused', async () => {
  sb.enqueue({ type: 'urlRedirects', hops: 3 });
  assert.equal((await generateImages(small, opts())).images[0].width, 256);
  sb.enqueue({ type: 'urlRedirects', hops: 4 });
  assert.match((await failure(small, opts())).userMessage, /redirected more than 3 times/);
});

test('a download larger than the cap is stopped', async () => {
  sb.enqueue({ type: 'urlLarge', bytes: 200 * 1024 * 1024 });
  const err = await failure(small, opts({ maxDownloadBytes: 256 * 1024 }));
  assert.equal(err.kind, 'tooLarge');
});

test('without a cap of its own, an image larger than 40 MB is stopped', async () => {
  sb.enqueue({ type: 'urlLarge', bytes: 40 * 1024 * 1024 + 1 });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'tooLarge', err.userMessage);
});

test('an answer larger than the cap is stopped', async () => {
  const err = await failure(small, opts({ maxResponseBytes: 2000 }));
  assert.equal(err.kind, 'tooLarge');
  assert.match(err.userMessage, /larger than the/);
});

test('a hanging gateway is ended by the deadline, as a timeout that was not retried', async () => {
  sb.enqueue({ type: 'hang' });
  const err = await failure(small, opts({ timeoutMs: 1000 }));
  assert.equal(err.kind, 'timeout');
  assert.match(err.userMessage, /within 1 s; not retried/);
  assert.equal(generations().length, 1);
  assert.deepEqual(delays, []);
});

test('a delayed answer within the deadline succeeds', async () => {
  sb.enqueue({ type: 'delay', ms: 50 });
  assert.equal((await generateImages(small, opts())).images.length, 1);
});

test('a cancel during a retry wait ends the call at once', async () => {
  sb.enqueue({ type: 'status', status: 503, retryAfter: 30 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const started = Date.now();
  const err = await failure(small, { ...opts(), timeoutMs: 120_000, sleep: undefined, signal: controller.signal });
  assert.equal(err.kind, 'cancelled');
  assert.ok(Date.now() - started < 10_000, 'waited out the 30 s retry delay');
  assert.equal(generations().length, 1);
});

test('a cancel while waiting for the answer ends the call', async () => {
  sb.enqueue({ type: 'hang' });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  assert.equal((await failure(small, { ...opts(), signal: controller.signal })).kind, 'cancelled');
});

test('a key echoed by the server appears in no message and no log event', async () => {
  sb.enqueue({ type: 'echoAuth', status: 401 });
  const err = await failure(small, opts());
  assert.equal(err.kind, 'authentication');
  assert.match(err.serverMessage ?? '', /Invalid token/);
  assertNoKey(err);
  sb.enqueue({ type: 'echoAuth', status: 500 }, { type: 'echoAuth', status: 500 }, { type: 'echoAuth', status: 500 });
  assertNoKey(await failure(small, opts()));
  assert.equal(logs.length, 4);
});

test('an invalid request or base URL fails before anything is sent', async () => {
  const err = await failure({ ...small, size: '1024x1792' }, opts());
  assert.equal(err.kind, 'invalidRequest');
  assert.match(err.userMessage, /^size: 1024x1792 is not available for dall-e-2/);
  const url = await failure(small, { ...opts(), baseUrl: 'http://example.com' });
  assert.equal(url.kind, 'invalidRequest');
  assert.equal((await failure(small, { ...opts(), apiKey: ' ' })).kind, 'authentication');
  assert.equal(sb.requests.length, 0);
});

test('listModels returns the ids the key can reach', async () => {
  const ids = await listModels(opts());
  assert.ok(ids.includes('gpt-image-2-origin') && ids.includes('dall-e-3'));
  assert.deepEqual(ids, [...ids].sort());
  sb.enqueue({ type: 'status', status: 401, on: 'models' });
  await assert.rejects(listModels(opts()), (e: ImageApiError) => e.kind === 'authentication');
});
