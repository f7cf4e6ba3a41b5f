import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Fault, Sandbox } from '../../tools/sandbox/server';
import { atFastTime, command, fastTimeFor, generate, reliabilitySuite, Scene, setSetting, type FailureExpectation } from './reliability';
import { tried } from './tally';

interface FaultCase extends FailureExpectation {
  name: string;
  faults: Fault[];
  /** Requests the gateway should see: 3 for a retriable failure (two retries), else 1. */
  requests?: number;
}

const thrice = (f: Fault): Fault[] => [f, f, f];
const RETRIED = /gave up after 2 retries/;

const CASES: FaultCase[] = [
  {
    name: '401',
    faults: [{ type: 'status', status: 401, code: 'invalid_api_key' }],
    message: /refused the API key \(HTTP 401/,
    httpStatus: 401,
  },
  { name: '403', faults: [{ type: 'status', status: 403 }], message: /may not do this \(HTTP 403/, httpStatus: 403 },
  {
    name: '404 model_not_found',
    faults: [{ type: 'status', status: 404, code: 'model_not_found', message: 'The model does not exist' }],
    message: /Model "gpt-image-2" is not available for this key \(HTTP 404 model_not_found/,
    httpStatus: 404,
  },
  {
    name: '400 safety rejection',
    faults: [{ type: 'status', status: 400, code: 'moderation_blocked', message: 'Your request was rejected by the safety system.' }],
    message: /safety system refused this request \(moderation_blocked/,
    httpStatus: 400,
  },
  { name: '413', faults: [{ type: 'status', status: 413 }], message: /refused the request as too large \(HTTP 413/, httpStatus: 413 },
  {
    name: '422',
    faults: [{ type: 'status', status: 422, param: 'size' }],
    message: /rejected the request \(HTTP 422, size/,
    httpStatus: 422,
  },
  {
    name: '429 without Retry-After',
    faults: thrice({ type: 'status', status: 429 }),
    message: /rate limiting.*gave up after 2 retries/,
    httpStatus: 429,
    requests: 3,
  },
  {
    name: '429 with Retry-After: 1',
    faults: thrice({ type: 'status', status: 429, retryAfter: 1 }),
    message: RETRIED,
    httpStatus: 429,
    requests: 3,
  },
  {
    name: '429 with Retry-After: 120 (too long to wait)',
    faults: [{ type: 'status', status: 429, retryAfter: 120 }],
    message: /not retried: the server asked to wait 120 s/,
    httpStatus: 429,
  },
  {
    name: '429 insufficient_quota',
    faults: [{ type: 'status', status: 429, code: 'insufficient_quota' }],
    message: /out of quota or credit/,
    httpStatus: 429,
  },
  {
    name: '500',
    faults: thrice({ type: 'status', status: 500 }),
    message: /server error \(HTTP 500.*gave up after 2 retries/,
    httpStatus: 500,
    requests: 3,
  },
  {
    name: '500 with an HTML page',
    faults: thrice({ type: 'html', status: 500 }),
    message: /server error \(HTTP 500: 500 Internal Server Error.*gave up/,
    httpStatus: 500,
    requests: 3,
  },
  {
    name: '502 with an HTML page',
    faults: thrice({ type: 'html', status: 502 }),
    message: /server error \(HTTP 502: 502 Bad Gateway.*gave up after 2 retries/,
    httpStatus: 502,
    requests: 3,
  },
  {
    name: '504 with an HTML page',
    faults: thrice({ type: 'html', status: 504 }),
    message: /timed out before the image was ready \(HTTP 504.*gave up/,
    httpStatus: 504,
    requests: 3,
  },
  {
    name: '524 (not retried: the upstream may still bill)',
    faults: [{ type: 'html', status: 524 }],
    message: /timed out before the image was ready \(HTTP 524/,
    httpStatus: 524,
  },
  { name: 'body cut mid-JSON', faults: [{ type: 'truncatedJson' }], message: /not valid JSON/, httpStatus: 200, requestId: true },
  {
    name: 'connection reset mid-body',
    faults: [{ type: 'cutMidBody' }],
    message: /connection to the gateway broke while reading the answer/,
    httpStatus: 200,
    requestId: true,
  },
  {
    name: 'connection closed before any answer',
    faults: [{ type: 'drop' }],
    requestId: false,
    message: /connection to the gateway broke after sending the request.*not retried/,
  },
  { name: 'malformed JSON', faults: [{ type: 'malformedJson' }], message: /not valid JSON/, httpStatus: 200, requestId: true },
  { name: 'valid JSON of the wrong shape', faults: [{ type: 'wrongShape' }], message: /no "data" list/, httpStatus: 200, requestId: true },
  { name: 'data: []', faults: [{ type: 'emptyData' }], message: /the "data" list is empty/, httpStatus: 200, requestId: true },
  {
    name: 'b64_json that is not an image',
    faults: [{ type: 'notImage' }],
    message: /image 1 of 1 is not a PNG, JPEG or WebP image/,
    requestId: true,
  },
  { name: 'a key echoed back in the error', faults: [{ type: 'echoAuth' }], message: /refused the API key.*\[REDACTED\]/, httpStatus: 401 },
  {
    name: 'image URL that 404s',
    faults: [{ type: 'urlStatus', status: 404 }],
    message: /image URL answered HTTP 404 \(it may have expired\)/,
    httpStatus: 404,
  },
  {
    name: 'image URL redirecting to ftp:',
    faults: [{ type: 'urlRedirect', location: 'ftp://127.0.0.1/image.png' }],
    message: /redirected to a URL with scheme ftp:/,
  },
  {
    name: 'image URL redirecting to file:',
    faults: [{ type: 'urlRedirect', location: 'file:///etc/passwd' }],
    message: /redirected to a URL with scheme file:/,
  },
  { name: 'image URL redirecting in a loop', faults: [{ type: 'urlRedirects', hops: 10 }], message: /redirected more than 3 times/ },
  {
    name: 'image URL far larger than the cap',
    faults: [{ type: 'urlLarge', bytes: 48 * 1024 * 1024 }],
    message: /image server is larger than the \d+ MB limit/,
  },
];

describe('Reliability: server faults through the generate flow', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sandbox: Sandbox;

  reliabilitySuite((a, sb) => ((api = a), (sandbox = sb)), { eachTest: true });

  const generations = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/images/generations'));

  for (const c of CASES) {
    it(`${c.name}: names the cause, writes nothing, records it`, async () => {
      tried('faults', c.name);
      sandbox.enqueue(...c.faults);
      const scene = await Scene.open(api, sandbox, 'fault.md');
      // Retry waits at a fifth of real time: these cases check the message and what is left, the tests below the waits.
      const run = await atFastTime(api, () => generate(api));
      // Every answer carries a request id; only a connection that broke leaves none to log.
      await scene.failed(run, { requestId: true, ...c });
      assert.equal(generations().length, c.requests ?? 1, 'requests the gateway saw');
    });
  }

  it('429 with an HTTP-date Retry-After waits until then, retries, then names the cause', async () => {
    tried('faults', '429 with an HTTP-date Retry-After');
    const scene = await Scene.open(api, sandbox, 'fault.md');
    // Dated just before the request: on a busy machine opening the scene can take longer than the wait itself.
    const at = new Date(Date.now() + 2500).toUTCString();
    sandbox.enqueue(...thrice({ type: 'status', status: 429, retryAfter: at }));
    await scene.failed(await generate(api), { message: RETRIED, httpStatus: 429, requestId: true });
    const [, second] = generations();
    // Not before the date asked for (an HTTP date has whole seconds), however long the scene took to open.
    assert.ok(second!.time >= Date.parse(at), `retried ${Date.parse(at) - second!.time} ms before ${at}`);
  });

  it('a 429 once is retried and the image is saved whole', async () => {
    tried('faults', '429 once, then success');
    sandbox.enqueue({ type: 'status', status: 429, retryAfter: 1 });
    const scene = await Scene.open(api, sandbox, 'fault.md');
    const run = await generate(api);
    await scene.succeeded(run, 1);
    const [first, second] = generations();
    assert.ok(second!.time - first!.time >= 900, 'Retry-After: 1 was honoured');
  });

  it('an image in another format than asked is saved with its real extension', async () => {
    tried('faults', 'image in another format than asked');
    sandbox.enqueue({ type: 'otherFormat', format: 'jpeg' });
    const scene = await Scene.open(api, sandbox, 'fault.md');
    const [uri] = await scene.succeeded(await generate(api, { outputFormat: 'png' }), 1);
    assert.equal(path.extname(uri!), '.jpg');
    assert.match(scene.editor!.document.getText(), /!\[A small green lantern\]\(images\/[a-z0-9-]+\.jpg\)/);
  });

  it('an image URL that redirects once is downloaded without the key', async () => {
    tried('faults', 'image URL with one redirect');
    sandbox.enqueue({ type: 'urlRedirects', hops: 1 });
    const scene = await Scene.open(api, sandbox, 'fault.md');
    await scene.succeeded(await generate(api), 1);
    const downloads = sandbox.requests.filter((r) => r.path.startsWith('/files/'));
    assert.equal(downloads.length, 2, 'the image and its redirect were fetched');
  });

  describe('deadline', () => {
    // The 10 s the user sets, run at a fifth of real time: 2 s.
    before(() => setSetting('timeoutSeconds', 10));
    after(() => setSetting('timeoutSeconds', undefined));
    fastTimeFor(() => api);

    for (const [name, fault, peer] of [
      ['a gateway that accepts the connection and never answers', { type: 'hang' }, 'the gateway'],
      ['an image URL that never answers', { type: 'urlHang' }, 'the image server'],
    ] as const) {
      it(`${name}: the deadline ends it`, async () => {
        tried('faults', name);
        sandbox.enqueue(fault);
        const scene = await Scene.open(api, sandbox, 'fault.md');
        const run = await generate(api);
        await scene.failed(run, { message: new RegExp(`No complete answer from ${peer} within 2 s; not retried`) });
        assert.ok(run.ms >= 1_900 && run.ms < 7_000, `ended after ${run.ms} ms`);
        assert.ok(lastLine(api).includes('kind=timeout'));
      });
    }
  });

  describe('cancel at every stage', () => {
    const stages: [string, Fault[], RegExp][] = [
      ['sending', [{ type: 'delay', ms: 5000 }], /^Sending request/],
      ['waiting for the server', [{ type: 'delay', ms: 5000 }], /^Waiting for the server/],
      ['waiting to retry', [{ type: 'status', status: 429, retryAfter: 5 }], /^Server busy; retrying/],
      ['downloading', [{ type: 'urlHang' }], /^Downloading image/],
      ['checking the image', [], /^Checking images/],
    ];
    for (const [stage, faults, when] of stages) {
      it(`while ${stage}: nothing written, the history says cancelled`, async () => {
        tried('faults', `cancel while ${stage}`);
        sandbox.enqueue(...faults);
        const scene = await Scene.open(api, sandbox, 'cancel.md');
        const controller = new AbortController();
        const run = await generate(api, {}, { signal: controller.signal, onProgress: (m) => when.test(m) && controller.abort() });
        assert.ok(
          run.progress.some((m) => when.test(m)),
          `reached the stage: ${run.progress.join(' | ')}`,
        );
        assert.ok(run.ms < 4_000, `ended at once (${run.ms} ms)`);
        await scene.failed(run, { message: /cancelled|Cancelled/, status: 'cancelled' });
      });
    }

    it('before it starts: nothing is sent', async () => {
      tried('faults', 'cancel before start');
      const scene = await Scene.open(api, sandbox, 'cancel.md');
      const controller = new AbortController();
      controller.abort();
      await scene.failed(await generate(api, {}, { signal: controller.signal }), { message: /ancelled/, status: 'cancelled' });
      assert.equal(generations().length, 0);
    });
  });

  describe('through the real command (notifications)', () => {
    afterEach(() => vscode.commands.executeCommand('notifications.clearAll'));

    const viaCommand: FaultCase[] = [
      {
        name: '401 via the command',
        faults: [{ type: 'status', status: 401 }],
        message: /refused the API key/,
        httpStatus: 401,
        requestId: true,
      },
      {
        name: '502 HTML via the command',
        faults: thrice({ type: 'html', status: 502 }),
        message: /HTTP 502.*gave up after 2 retries/,
        httpStatus: 502,
        requests: 3,
      },
      { name: 'body cut mid-JSON via the command', faults: [{ type: 'truncatedJson' }], message: /not valid JSON/, requestId: true },
      { name: 'echoed key via the command', faults: [{ type: 'echoAuth' }], message: /\[REDACTED\]/, httpStatus: 401 },
    ];
    for (const c of viaCommand) {
      it(`${c.name}: the history and log say why`, async () => {
        tried('faults', c.name);
        sandbox.enqueue(...c.faults);
        const scene = await Scene.open(api, sandbox, 'command.md');
        await scene.failed(await command(), { ...c, viaCommand: true });
        assert.equal(generations().length, c.requests ?? 1);
      });
    }
  });
});

function lastLine(api: TestApi): string {
  return [...api.services.log.recent].reverse().find((l) => l.startsWith('failed ')) ?? '';
}
