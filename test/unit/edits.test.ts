// Image edits against the sandbox over real HTTP: what goes up as multipart, what comes back, what is refused before sending.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import sharp from 'sharp';
import type { ClientOptions } from '../../src/core/client';
import { MAX_MASK_PNG_BYTES, MAX_REFERENCE_BYTES } from '../../src/core/editLimits';
import { editImages, validateEditRequest, type EditRequest } from '../../src/core/edits';
import { ImageApiError } from '../../src/core/errors';
import { sniffImage } from '../../src/core/images';
import { englishMessage } from '../../src/core/messages';
import type { EditSummary } from '../../tools/sandbox/edits';
import { renderImage } from '../../tools/sandbox/render';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { nodeNetwork } from '../../src/core/transport.node';

const NETWORK = nodeNetwork();

// Not sk- shaped, so only the client's own knowledge of the key can redact it.
const KEY = 'sandbox-key-edit-4c1b7e90d2';
const MODEL = 'gpt-image-2-origin';

let sb: Sandbox;
let photo: Buffer;

before(async () => {
  sb = await startSandbox({ key: KEY });
  photo = await picture(320, 240, 'png');
});
after(() => sb.close());
beforeEach(() => sb.reset());

function picture(width: number, height: number, format: 'png' | 'jpeg' | 'webp', index = 0): Promise<Buffer> {
  return renderImage({ prompt: 'reference', width, height, format, model: MODEL, index, total: 1 });
}

/** Opaque except a fully transparent square in the middle: the area to repaint. */
function mask(width: number, height: number): Promise<Buffer> {
  const hole = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width / 2}" height="${height / 2}"/>`);
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } })
    .composite([{ input: hole, blend: 'clear', left: width / 4, top: height / 4 }])
    .png()
    .toBuffer();
}

const opts = (extra: Partial<ClientOptions> = {}): ClientOptions => ({
  baseUrl: sb.baseUrl,
  apiKey: KEY,
  network: NETWORK,
  timeoutMs: 10_000,
  ...extra,
});
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const editsSeen = () => sb.requests.filter((r) => r.path.startsWith('/v1/images/edits'));
const seen = () => editsSeen().at(-1)?.json as EditSummary;

function edit(extra: Partial<EditRequest> = {}): EditRequest {
  return { model: MODEL, prompt: 'Make the sky purple', size: '1024x1024', images: [{ name: 'photo.png', bytes: photo }], ...extra };
}

async function failure(req: EditRequest, o = opts()): Promise<ImageApiError> {
  try {
    await editImages(req, o);
  } catch (err) {
    assert.ok(err instanceof ImageApiError, String(err));
    return err;
  }
  assert.fail('expected the edit to fail');
}

test('one image: the answer has the asked size and the server got the exact bytes as multipart', async () => {
  const result = await editImages(edit(), opts());
  assert.equal(result.images.length, 1);
  assert.deepEqual(sniffImage(result.images[0].bytes), { format: 'png', width: 1024, height: 1024 });
  assert.equal(result.images[0].width, 1024);
  const [req] = editsSeen();
  assert.match(String(req.headers['content-type']), /^multipart\/form-data; boundary=/);
  assert.equal(req.headers.authorization, `Bearer ${KEY}`);
  const summary = seen();
  assert.equal(summary.fields.prompt, 'Make the sky purple');
  assert.equal(summary.fields.model, MODEL);
  assert.equal(summary.fields.size, '1024x1024');
  assert.equal(summary.files.length, 1);
  const [file] = summary.files;
  assert.equal(file.field, 'image');
  assert.equal(file.filename, 'photo.png');
  assert.equal(file.contentType, 'image/png');
  assert.equal(file.bytes, photo.length);
  assert.equal(file.sha256, sha(photo));
  assert.deepEqual([file.format, file.width, file.height], ['png', 320, 240]);
});

test('without a size the answer takes the first image size', async () => {
  const result = await editImages(edit({ size: undefined }), opts());
  assert.deepEqual([result.images[0].width, result.images[0].height], [320, 240]);
});

test('three reference images go up as repeated image[] parts, in order', async () => {
  const refs = [photo, await picture(200, 200, 'jpeg', 1), await picture(256, 128, 'webp', 2)];
  const names = ['a.png', 'b.jpg', 'c.webp'];
  await editImages(edit({ images: refs.map((bytes, i) => ({ name: names[i], bytes })) }), opts());
  const files = seen().files;
  assert.deepEqual(
    files.map((f) => [f.field, f.filename, f.contentType, f.format]),
    [
      ['image[]', 'a.png', 'image/png', 'png'],
      ['image[]', 'b.jpg', 'image/jpeg', 'jpeg'],
      ['image[]', 'c.webp', 'image/webp', 'webp'],
    ],
  );
  assert.deepEqual(
    files.map((f) => f.sha256),
    refs.map(sha),
  );
});

test('a mask of the first image size reaches the server as a PNG with transparency', async () => {
  const m = await mask(320, 240);
  await editImages(edit({ mask: { name: 'mask.png', bytes: m } }), opts());
  const file = seen().files.find((f) => f.field === 'mask');
  assert.ok(file, 'no mask part');
  assert.deepEqual([file.contentType, file.format, file.width, file.height], ['image/png', 'png', 320, 240]);
  assert.equal(file.sha256, sha(m));
  assert.equal(file.transparent, true);
});

test('refused before sending: a non-image, 17 images, a mask of the wrong size, a JPEG mask', async () => {
  const cases: [Partial<EditRequest>, string, RegExp][] = [
    [{ images: [{ name: 'notes.txt', bytes: Buffer.from('not an image at all') }] }, 'images', /notes\.txt is not a PNG, JPEG or WebP/],
    [{ images: [] }, 'images', /add at least one reference image/],
    [{ images: Array.from({ length: 17 }, (_, i) => ({ name: `${i}.png`, bytes: photo })) }, 'images', /17 given; .* at most 16/],
    [{ mask: { name: 'm.png', bytes: await mask(256, 256) } }, 'mask', /256x256; make it 320x240/],
    // Wrong in one dimension only.
    [{ mask: { name: 'm.png', bytes: await mask(320, 256) } }, 'mask', /320x256; make it 320x240/],
    [{ mask: { name: 'm.png', bytes: await mask(336, 240) } }, 'mask', /336x240; make it 320x240/],
    [{ mask: { name: 'm.jpg', bytes: await picture(320, 240, 'jpeg') } }, 'mask', /not a PNG/],
    [{ model: 'dall-e-2', size: '256x256', images: [0, 1].map((i) => ({ name: `${i}.png`, bytes: photo })) }, 'images', /at most 1\b/],
  ];
  for (const [extra, field, message] of cases) {
    const checked = validateEditRequest(edit(extra));
    assert.equal(checked.ok, false);
    assert.ok(!checked.ok && checked.field === field, `${field}: ${JSON.stringify(checked)}`);
    assert.match((await failure(edit(extra))).userMessage, message);
    assert.equal((await failure(edit(extra))).kind, 'invalidRequest');
  }
  assert.equal(validateEditRequest(edit({ prompt: ' ' })).ok, false);
  // A valid edit comes back with its request fields normalised, as validateRequest gives them.
  const ok = validateEditRequest(edit());
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.deepEqual([ok.value.model, ok.value.prompt, ok.value.size], [MODEL, 'Make the sky purple', '1024x1024']);
  assert.equal(editsSeen().length, 0);
});

test('exactly as many reference images as the model takes are accepted', async () => {
  const images = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `${i}.png`, bytes: photo }));
  const atLimit = validateEditRequest(edit({ images: images(16) }));
  assert.ok(atLimit.ok, JSON.stringify(atLimit));
  const square = await picture(256, 256, 'png');
  const one = validateEditRequest(edit({ model: 'dall-e-2', size: '256x256', images: [{ name: 'square.png', bytes: square }] }));
  assert.ok(one.ok, JSON.stringify(one));
});

test("dall-e-2 edits only a square PNG under 4 MB, as OpenAI's schema says: others are refused before sending", async () => {
  const square = await picture(256, 256, 'png');
  const refused = (name: string, bytes: Uint8Array) => {
    const r = validateEditRequest(edit({ model: 'dall-e-2', size: '256x256', images: [{ name, bytes }] }));
    return r.ok ? 'accepted' : englishMessage(r.error);
  };
  const rule = 'dall-e-2 edits only a square PNG under 4 MB: choose a GPT image model, or use such an image';
  assert.equal(refused('wide.png', photo), `images: wide.png is 320x240; ${rule}`);
  assert.equal(refused('square.jpg', await picture(256, 256, 'jpeg')), `images: square.jpg is JPEG; ${rule}`);
  // A PNG's size is in its header: padding past the end stands in for a large one.
  const big = Buffer.concat([square, Buffer.alloc(4 * 1024 * 1024 - square.length)]);
  assert.equal(refused('big.png', big), `images: big.png is 4.0 MB; ${rule}`);
  assert.equal(refused('square.png', square), 'accepted');
  assert.ok(validateEditRequest(edit({ images: [{ name: 'wide.png', bytes: photo }] })).ok, 'the GPT image models take it');
});

test('sizes at the limits: a reference image under 50 MB and a mask under 4 MB pass, at the limit they do not', async () => {
  // Only the header is read, so padding a real image to a size is enough.
  const padded = (bytes: Buffer, size: number) => Buffer.concat([bytes, Buffer.alloc(size - bytes.length)]);
  const m = await mask(320, 240);
  const check = (extra: Partial<EditRequest>) => validateEditRequest(edit(extra));
  assert.ok(check({ images: [{ name: 'big.png', bytes: padded(photo, MAX_REFERENCE_BYTES - 1) }] }).ok);
  const tooBig = check({ images: [{ name: 'big.png', bytes: padded(photo, MAX_REFERENCE_BYTES) }] });
  assert.ok(
    !tooBig.ok && /big\.png is 50\.0 MB; each image must be under 50 MB/.test(englishMessage(tooBig.error)),
    JSON.stringify(tooBig),
  );
  assert.ok(check({ mask: { name: 'm.png', bytes: padded(m, MAX_MASK_PNG_BYTES - 1) } }).ok);
  const bigMask = check({ mask: { name: 'm.png', bytes: padded(m, MAX_MASK_PNG_BYTES) } });
  assert.ok(!bigMask.ok && /m\.png is 4\.0 MB; the mask must be under 4 MB/.test(englishMessage(bigMask.error)), JSON.stringify(bigMask));
});

test('dall-e-3 is refused for edits, naming the model', () => {
  const dalle3 = validateEditRequest(edit({ model: 'dall-e-3' }));
  assert.ok(
    !dalle3.ok && dalle3.field === 'model' && /dall-e-3 cannot edit images/.test(englishMessage(dalle3.error)),
    JSON.stringify(dalle3),
  );
});

test('a 400 from the server is badRequest, is not retried, and never quotes the key', async () => {
  sb.enqueue({ type: 'status', status: 400, message: `Invalid image for key ${KEY}`, param: 'image' });
  const err = await failure(edit());
  assert.equal(err.kind, 'badRequest');
  assert.equal(err.status, 400);
  assert.equal(editsSeen().length, 1);
  assert.ok(!JSON.stringify({ ...err, message: err.message, userMessage: err.userMessage }).includes(KEY));
});

test('a wrong key is refused without the key in the error', async () => {
  const err = await failure(edit(), opts({ apiKey: `${KEY}-wrong` }));
  assert.equal(err.kind, 'authentication');
  assert.ok(!`${err.message} ${err.userMessage} ${err.serverMessage ?? ''}`.includes(KEY));
});

test('the later options go up as form fields: streamed previews and input fidelity, no moderation', async () => {
  const req = edit({
    model: 'gpt-image-1.5',
    partialImages: 2,
    inputFidelity: 'high',
    moderation: 'low',
    background: 'opaque',
    user: 'u-9',
  });
  await editImages(req, opts());
  const { fields } = seen();
  assert.deepEqual(
    [fields.stream, fields.partial_images, fields.input_fidelity, fields.background, fields.user, fields.moderation],
    ['true', '2', 'high', 'opaque', 'u-9', undefined],
  );
});

test('no stream fields without previews', async () => {
  await editImages(edit({ model: 'gpt-image-2' }), opts());
  const { fields } = seen();
  assert.deepEqual([fields.stream, fields.partial_images, fields.input_fidelity], [undefined, undefined, undefined]);
});
