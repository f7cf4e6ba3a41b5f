// The streamed answer (Server-Sent Events) over real HTTP: a scripted server writes the events in
// chunks cut anywhere, and the client must hand on each preview, keep each final image byte for
// byte, and turn every way a stream can stop into a message that says how far it got.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import sharp from 'sharp';
import { generateImages, type ClientOptions, type PartialImage, type ProgressEvent } from '../../src/core/client';
import { ImageApiError } from '../../src/core/errors';
import { ImageStreamReader } from '../../src/core/imageStream';
import type { GenerateRequest } from '../../src/core/request';
import { nodeNetwork } from '../../src/core/transport.node';

const NETWORK = nodeNetwork();

const KEY = 'stream-test-key-0b1c2d3e4f5a';
const request: GenerateRequest = { model: 'gpt-image-1.5', prompt: 'A lighthouse at dusk', size: '1024x1024', partialImages: 2 };

/** What the server does for the next request: the body's pieces, written one by one. */
interface Script {
  contentType?: string;
  status?: number;
  pieces: (Buffer | string)[];
  /** Destroy the socket after the pieces instead of ending the answer. */
  cut?: boolean;
  /** Keep the answer open after the pieces (a stream that never finishes). */
  hang?: boolean;
}

let server: http.Server;
let baseUrl: string;
let script: Script;
let requests: number;
let accepted: string | undefined;
const open = new Set<http.ServerResponse>();

before(async () => {
  server = http.createServer(async (req, res) => {
    requests++;
    accepted = req.headers.accept;
    // The body is read to its end and not looked at.
    req.resume();
    await new Promise((r) => req.once('end', r));
    const s = script;
    res.writeHead(s.status ?? 200, { 'Content-Type': s.contentType ?? 'text/event-stream', 'x-request-id': `req-${requests}` });
    open.add(res);
    res.on('close', () => open.delete(res));
    for (const piece of s.pieces) {
      if (res.destroyed) return;
      if (!res.write(piece)) await new Promise((r) => res.once('drain', r));
      // A separate TCP segment per piece, so the client really receives them apart.
      await new Promise((r) => setImmediate(r));
    }
    if (s.cut) res.socket?.destroy();
    else if (!s.hang) res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  for (const res of open) res.destroy();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  requests = 0;
});

function png(width: number, height: number, shade: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: shade, g: 80, b: 160, alpha: 1 } } })
    .png()
    .toBuffer();
}

/** An event as OpenAI writes it; `data` is one JSON line, or with `multiLine` pretty-printed over several `data:` lines. */
function event(name: string, data: Record<string, unknown>, eol = '\n', multiLine = false): string {
  const json = multiLine ? JSON.stringify({ type: name, ...data }, null, 2) : JSON.stringify({ type: name, ...data });
  return `event: ${name}${eol}${json
    .split('\n')
    .map((line) => `data: ${line}`)
    .join(eol)}${eol}${eol}`;
}

const partial = (bytes: Buffer, index: number, eol?: string, multiLine?: boolean) =>
  event(
    'image_generation.partial_image',
    { b64_json: bytes.toString('base64'), partial_image_index: index, output_format: 'png' },
    eol,
    multiLine,
  );
const completed = (bytes: Buffer, eol?: string, multiLine?: boolean, usage = { input_tokens: 10, output_tokens: 272, total_tokens: 282 }) =>
  event(
    'image_generation.completed',
    { b64_json: bytes.toString('base64'), created_at: 1700000000, output_format: 'png', usage },
    eol,
    multiLine,
  );

/** Cuts a text into pieces of the given sizes, repeating the pattern. */
function chop(text: string, sizes: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

function opts(extra: Partial<ClientOptions> = {}): ClientOptions {
  return { baseUrl, apiKey: KEY, network: NETWORK, timeoutMs: 10_000, maxRetries: 2, sleep: async () => {}, ...extra };
}

async function failure(o: ClientOptions, req = request): Promise<ImageApiError> {
  try {
    await generateImages(req, o);
  } catch (err) {
    assert.ok(err instanceof ImageApiError, String(err));
    return err;
  }
  assert.fail('expected the generation to fail');
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let previews: Buffer[];
let final: Buffer;
let wide: Buffer;

before(async () => {
  previews = [await png(64, 64, 10), await png(64, 64, 120)];
  final = await png(64, 64, 250);
  wide = await png(96, 48, 200);
});

describe('a streamed answer', () => {
  for (const [eol, label] of [
    ['\n', 'LF'],
    ['\r\n', 'CRLF'],
    ['\r', 'CR'],
  ] as const) {
    for (const sizes of [[1], [2, 3], [7], [4096], [1, 64, 5, 1000]]) {
      test(`hands on each preview and keeps the final image exactly (${label}, pieces of ${sizes.join('/')} bytes)`, async () => {
        const body = `: keep-alive${eol}${partial(previews[0]!, 0, eol)}:${eol}${partial(previews[1]!, 1, eol, true)}${completed(final, eol, true)}`;
        script = { pieces: chop(body, sizes) };
        const seen: PartialImage[] = [];
        const progress: ProgressEvent[] = [];
        const result = await generateImages(request, opts({ onPartialImage: (p) => seen.push(p), onProgress: (e) => progress.push(e) }));
        assert.deepEqual(
          seen.map((p) => [sha(p.bytes), p.partialIndex, p.image, p.format, p.width, p.expected]),
          previews.map((b, i) => [sha(b), i, 0, 'png', 64, 2]),
        );
        assert.equal(result.images.length, 1);
        assert.equal(sha(result.images[0]!.bytes), sha(final));
        assert.deepEqual(result.usage, { input_tokens: 10, output_tokens: 272, total_tokens: 282 });
        assert.equal(result.created, 1700000000);
        assert.deepEqual(
          progress.filter((e) => e.stage === 'preview').map((e) => [e.index, e.total]),
          [
            [0, 2],
            [1, 2],
          ],
        );
      });
    }
  }

  test('numbers the previews of each of n images, and adds up their usage', async () => {
    const u = { input_tokens: 5, output_tokens: 100, total_tokens: 105, input_tokens_details: { text_tokens: 5, image_tokens: 0 } };
    script = {
      pieces: [partial(previews[0]!, 0), completed(final, '\n', false, u), partial(previews[1]!, 0), completed(wide, '\n', false, u)],
    };
    const seen: PartialImage[] = [];
    const result = await generateImages({ ...request, n: 2, partialImages: 1 }, opts({ onPartialImage: (p) => seen.push(p) }));
    assert.deepEqual(
      seen.map((p) => [p.image, p.partialIndex, p.expected]),
      [
        [0, 0, 2],
        [1, 0, 2],
      ],
    );
    assert.deepEqual(
      result.images.map((i) => [sha(i.bytes), i.width, i.height]),
      [
        [sha(final), 64, 64],
        [sha(wide), 96, 48],
      ],
    );
    assert.deepEqual(result.usage, {
      input_tokens: 10,
      output_tokens: 200,
      total_tokens: 210,
      input_tokens_details: { text_tokens: 10, image_tokens: 0 },
    });
  });

  test('works with only the final event (no previews), and with a closing [DONE]', async () => {
    script = { pieces: [completed(final), 'data: [DONE]\n\n'] };
    const seen: PartialImage[] = [];
    const result = await generateImages(request, opts({ onPartialImage: (p) => seen.push(p) }));
    assert.equal(seen.length, 0);
    assert.equal(sha(result.images[0]!.bytes), sha(final));
    assert.equal(accepted, 'text/event-stream, application/json', 'asks for the event stream the schema answers');
  });

  test('takes an ordinary JSON answer from a gateway that ignores `stream`', async () => {
    script = { contentType: 'application/json', pieces: [JSON.stringify({ created: 1, data: [{ b64_json: final.toString('base64') }] })] };
    const result = await generateImages(request, opts());
    assert.equal(sha(result.images[0]!.bytes), sha(final));
  });

  test('skips a preview that is not an image; the final image is still checked', async () => {
    const junk = event('image_generation.partial_image', {
      b64_json: Buffer.from('not an image').toString('base64'),
      partial_image_index: 0,
    });
    script = { pieces: [junk, completed(final)] };
    const seen: PartialImage[] = [];
    const result = await generateImages(request, opts({ onPartialImage: (p) => seen.push(p) }));
    assert.equal(seen.length, 0);
    assert.equal(result.images.length, 1);
    script = {
      pieces: [partial(previews[0]!, 0), event('image_generation.completed', { b64_json: Buffer.from('nope').toString('base64') })],
    };
    assert.match((await failure(opts())).message, /image 1 of 1 is not a PNG, JPEG or WebP image/);
  });

  test('a view that throws on a preview does not stop the generation', async () => {
    script = { pieces: [partial(previews[0]!, 0), completed(final)] };
    const result = await generateImages(
      request,
      opts({
        onPartialImage: () => {
          throw new Error('the view is gone');
        },
      }),
    );
    assert.equal(result.images.length, 1);
  });
});

describe('a stream that stops', () => {
  test("an error event mid-stream: the server's words, how far it got, sent once (a started stream is never retried)", async () => {
    const error = `event: error\ndata: ${JSON.stringify({ type: 'error', error: { message: `upstream failed for ${KEY}`, type: 'server_error', code: 'upstream_error' } })}\n\n`;
    script = { pieces: [partial(previews[0]!, 0), error] };
    const err = await failure(opts());
    assert.equal(requests, 1);
    assert.equal(err.retriable, false);
    assert.match(
      err.message,
      /error in the middle of the stream \(upstream_error: upstream failed for \[REDACTED\]\), after 1 preview, before the final image/,
    );
    assert.doesNotMatch(err.message + (err.serverMessage ?? ''), new RegExp(KEY));
    assert.equal(err.requestId, 'req-1');
  });

  test('a safety refusal mid-stream says to rephrase', async () => {
    const error = `data: ${JSON.stringify({ type: 'error', error: { message: 'blocked', code: 'moderation_blocked' } })}\n\n`;
    script = { pieces: [error] };
    const err = await failure(opts());
    assert.equal(err.kind, 'badRequest');
    assert.match(err.message, /safety system refused.*Rephrase the prompt/);
  });

  test('a cut before the final image: a network error naming the stage, with the status and request id', async () => {
    script = { pieces: [partial(previews[0]!, 0), partial(previews[1]!, 1), completed(final).slice(0, 200)], cut: true };
    const err = await failure(opts());
    assert.equal(requests, 1);
    assert.equal(err.kind, 'network');
    assert.equal(err.status, 200);
    assert.equal(err.requestId, 'req-1');
    assert.match(err.message, /broke while reading the answer .*the stream stopped after 2 previews, before the final image/);
  });

  test('an answer that ends cleanly without a final image says how far it got and writes nothing', async () => {
    script = { pieces: [partial(previews[0]!, 0)] };
    const err = await failure(opts());
    assert.equal(err.kind, 'invalidResponse');
    assert.match(
      err.message,
      /the stream ended after 1 preview, before the final image\. Nothing was saved\. Try again, or set "gptImage\.previews" to "off"/,
    );
    script = { pieces: [partial(previews[0]!, 0), completed(final).slice(0, 300)] };
    assert.match((await failure(opts())).message, /the stream ended after 1 preview, before the final image/);
  });

  test('more final images than n is refused at the first extra one', async () => {
    script = { pieces: [completed(final), completed(final)] };
    assert.match((await failure(opts())).message, /the gateway sent more than 1 image for n=1/);
  });

  test('an event that is not JSON is named', async () => {
    script = { pieces: ['event: image_generation.completed\ndata: {"type":"image_generation.comp\n\n'] };
    assert.match((await failure(opts())).message, /an event of the stream is not valid JSON \("\{"type":"image_generation\.comp"\)/);
  });

  test('keep-alive lines only: the deadline covers the whole stream', async () => {
    script = { pieces: Array.from({ length: 40 }, () => ': keep-alive\n'), hang: true };
    const err = await failure(opts({ timeoutMs: 400 }));
    assert.equal(err.kind, 'timeout');
    assert.equal(requests, 1);
  });

  test('cancel mid-stream ends it at once', async () => {
    const controller = new AbortController();
    script = { pieces: [partial(previews[0]!, 0)], hang: true };
    const err = await failure(opts({ signal: controller.signal, onPartialImage: () => controller.abort() }));
    assert.equal(err.kind, 'cancelled');
  });
});

describe('a hostile stream', () => {
  test('previews beyond those asked for are dropped unseen', async () => {
    script = { pieces: [...[0, 1, 2, 3, 4].map((i) => partial(previews[i % 2]!, i)), completed(final)] };
    const seen: PartialImage[] = [];
    await generateImages(request, opts({ onPartialImage: (p) => seen.push(p) }));
    assert.deepEqual(
      seen.map((p) => p.partialIndex),
      [0, 1],
    );
  });

  test('an event of endless tiny data lines is refused, not collected', async () => {
    script = { pieces: [`event: image_generation.completed\n${'data:x\n'.repeat(20_000)}`] };
    const err = await failure(opts());
    assert.match(err.message, /an event of the stream is larger than any image answer/);
  });

  test('final images larger together than the answer budget are refused as they arrive', async () => {
    script = { pieces: [completed(final), completed(final)] };
    const err = await failure(opts({ maxAnswerBytes: final.length + 10 }), { ...request, n: 2 });
    assert.equal(err.kind, 'tooLarge');
  });

  test('the key is taken out of server text before it is cut short', async () => {
    const long = `${'x'.repeat(190)} ${KEY}`;
    script = { pieces: [`event: error\ndata: ${JSON.stringify({ error: { message: long, code: 'e' } })}\n\n`] };
    const err = await failure(opts());
    for (const text of [err.message, err.serverMessage ?? '']) assert.doesNotMatch(text, new RegExp(KEY.slice(0, 8)));
    script = { pieces: [`data: ${'y'.repeat(70)}${KEY}\n\n`] };
    const notJson = await failure(opts());
    assert.doesNotMatch(notJson.message, new RegExp(KEY.slice(0, 8)));
  });

  test('as the standard reads it: a BOM, empty data, the last event name, an error event that is not JSON', async () => {
    const bare = `data: ${JSON.stringify({ type: 'image_generation.completed', b64_json: final.toString('base64') })}\n\n`;
    script = { pieces: ['\ufeff' + bare] };
    assert.equal((await generateImages(request, opts())).images.length, 1, 'the first field after a BOM is read');
    script = { pieces: ['data:\n\ndata\n\n', partial(previews[0]!, 0), completed(final)] };
    assert.equal((await generateImages(request, opts())).images.length, 1, 'events with empty data are dropped');
    script = { pieces: ['event: progress\nevent: error\ndata: {"error":{"message":"boom"}}\n\n'] };
    assert.match((await failure(opts())).message, /error in the middle of the stream \(error: boom\)/);
    script = { pieces: ['event: error\ndata: upstream timeout\n\n'] };
    assert.match((await failure(opts())).message, /error in the middle of the stream \(error: upstream timeout\)/);
  });
});

describe('ImageStreamReader', () => {
  test('decodes a large final image chunk by chunk into the bytes sent; the answer holds a placeholder', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 7);
    big.set(final.subarray(0, 33)); // a PNG header, so it passes as an image
    const text = completed(big);
    const reader = new ImageStreamReader({ images: 1 });
    for (const piece of chop(text, [65536])) reader.write(piece);
    const body = JSON.parse(Buffer.from(reader.end()).toString('utf8')) as { data: { b64_json: string }[] };
    assert.ok(body.data[0]!.b64_json.length < 100, 'the answer holds a placeholder, not the image');
    assert.equal(sha(reader.take(body.data[0]!.b64_json)!), sha(big));
  });

  test('an event name alone, unknown fields and events of other types are ignored', () => {
    const reader = new ImageStreamReader({ images: 1 });
    reader.write(Buffer.from('id: 7\nretry: 100\nevent: image_generation.in_progress\ndata: {"type":"image_generation.in_progress"}\n\n'));
    reader.write(Buffer.from('event: ping\n\n'));
    reader.write(Buffer.from(completed(final)));
    const body = JSON.parse(Buffer.from(reader.end()).toString('utf8')) as { data: unknown[] };
    assert.equal(body.data.length, 1);
  });
});
