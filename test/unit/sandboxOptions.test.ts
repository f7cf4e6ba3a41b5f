// The newer request options in the sandbox: a real alpha channel for transparent backgrounds,
// output_compression as the encoder's quality, and the form fields of an edit recorded as sent.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import sharp from 'sharp';
import type { EditSummary } from '../../tools/sandbox/edits';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { editRequest, generationRequest, imageOf, readStreamed } from './sandboxHttp';

let sb: Sandbox;

before(async () => {
  sb = await startSandbox({ key: 'sandbox-options-key' });
});
after(() => sb.close());
beforeEach(() => sb.reset());

const ask = (extra: Record<string, unknown>) => ({ model: 'sandbox-tiny', prompt: 'A red kite', size: '128x96', ...extra });

async function image(extra: Record<string, unknown>): Promise<Buffer> {
  const res = await generationRequest(sb, ask(extra));
  assert.equal(res.status, 200);
  return Buffer.from(((await res.json()) as { data: { b64_json: string }[] }).data[0].b64_json, 'base64');
}

/** Alphas of the corner pixel, the middle pixel (on the card) and the most opaque white (text) pixel. */
async function alphas(bytes: Buffer): Promise<{ corner: number; middle: number; text: number; channels: number }> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let text = -1;
  for (let i = 0; i < data.length; i += 4) if (data[i] > 225 && data[i + 1] > 225 && data[i + 2] > 225) text = Math.max(text, data[i + 3]);
  const middle = data[(Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * 4 + 3];
  return { corner: data[3], middle, text, channels: (await sharp(bytes).metadata()).channels ?? 0 };
}

test('background transparent leaves the backdrop fully transparent and the drawing opaque (png, webp, streamed too)', async () => {
  for (const format of ['png', 'webp']) {
    // Big enough for the glyphs' cores to be white (no pixel of the card's gradient has all three channels over 214).
    const clear = await alphas(await image({ output_format: format, background: 'transparent', size: '320x240' }));
    assert.deepEqual(clear, { corner: 0, middle: 255, text: 255, channels: 4 }, format);
    const opaque = await alphas(await image({ output_format: format, background: 'opaque' }));
    assert.equal(opaque.corner, 255, format);
  }
  const streamed = await readStreamed(await generationRequest(sb, ask({ stream: true, partial_images: 1, background: 'transparent' })));
  assert.equal(streamed.events[0].data.background, 'transparent');
  for (const e of streamed.events) assert.equal((await alphas(imageOf(e))).corner, 0, e.event);
});

test('background transparent with jpeg is refused, naming background, for generations and edits', async () => {
  const res = await generationRequest(sb, ask({ output_format: 'jpeg', background: 'transparent' }));
  assert.equal(res.status, 400);
  const { error } = (await res.json()) as { error: { param: string; type: string; message: string } };
  assert.equal(error.param, 'background');
  assert.equal(error.type, 'invalid_request_error');
  assert.match(error.message, /jpeg/);
  const edit = await editRequest(sb, { model: 'sandbox-tiny', prompt: 'p', output_format: 'jpeg', background: 'transparent' });
  assert.equal(edit.status, 400);
  assert.equal(((await edit.json()) as { error: { param: string } }).error.param, 'background');
});

test('an edit with background transparent keeps the source picture cut out', async () => {
  const form = new FormData();
  // A transparent picture with an opaque square in the middle.
  const source = await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: { create: { width: 16, height: 16, channels: 4, background: '#fff' } }, left: 24, top: 24 }])
    .png()
    .toBuffer();
  form.append('image', new Blob([source], { type: 'image/png' }), 'cut.png');
  for (const [k, v] of Object.entries({ model: 'sandbox-tiny', prompt: 'p', background: 'transparent' })) form.append(k, v);
  const res = await fetch(`${sb.baseUrl}/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${sb.key}` }, body: form });
  const bytes = Buffer.from(((await res.json()) as { data: { b64_json: string }[] }).data[0].b64_json, 'base64');
  assert.equal((await alphas(bytes)).corner, 0);
});

test('output_compression sets jpeg and webp quality and leaves png alone', async () => {
  for (const format of ['jpeg', 'webp']) {
    const low = await image({ output_format: format, output_compression: 10 });
    const high = await image({ output_format: format, output_compression: 95 });
    assert.ok(low.length < high.length, `${format}: ${low.length} vs ${high.length} bytes`);
  }
  const png10 = await image({ output_format: 'png', output_compression: 10 });
  const png95 = await image({ output_format: 'png', output_compression: 95 });
  assert.equal(png10.length, png95.length);
  const bad = await generationRequest(sb, ask({ output_format: 'jpeg', output_compression: 101 }));
  assert.equal(((await bad.json()) as { error: { param: string } }).error.param, 'output_compression');
  const editLow = await editRequest(sb, { model: 'sandbox-tiny', prompt: 'p', output_format: 'jpeg', output_compression: '5' }, 128, 96);
  const editHigh = await editRequest(sb, { model: 'sandbox-tiny', prompt: 'p', output_format: 'jpeg', output_compression: '95' }, 128, 96);
  const size = async (r: Response) => Buffer.from(((await r.json()) as { data: { b64_json: string }[] }).data[0].b64_json, 'base64').length;
  assert.ok((await size(editLow)) < (await size(editHigh)));
});

test('the new options are recorded as sent: JSON bodies, and an edit form field by field even when a fault answers', async () => {
  await image({ moderation: 'low', user: 'user-42', background: 'opaque' });
  assert.deepEqual(sb.requests[0].json, ask({ moderation: 'low', user: 'user-42', background: 'opaque' }));
  await editRequest(sb, { model: 'gpt-image-1', prompt: 'p', input_fidelity: 'high' });
  await editRequest(sb, { model: 'gpt-image-2', prompt: 'p' });
  sb.enqueue({ type: 'status', status: 500 });
  await editRequest(sb, { model: 'gpt-image-1', prompt: 'p', input_fidelity: 'low' });
  const fields = sb.requests.slice(1).map((r) => (r.json as EditSummary).fields.input_fidelity);
  assert.deepEqual(fields, ['high', undefined, 'low']);
  for (const [value, param] of [
    [{ moderation: 'strict' }, 'moderation'],
    [{ background: 'clear' }, 'background'],
  ] as const) {
    const res = await generationRequest(sb, ask(value));
    assert.equal(((await res.json()) as { error: { param: string } }).error.param, param);
  }
  const fidelity = await editRequest(sb, { model: 'gpt-image-1', prompt: 'p', input_fidelity: 'max' });
  assert.equal(((await fidelity.json()) as { error: { param: string } }).error.param, 'input_fidelity');
});
