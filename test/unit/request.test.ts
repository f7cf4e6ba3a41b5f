import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toRequestBody, validateRequest, type GenerateRequest } from '../../src/core/request';
import { fromRequestBody } from '../../tools/sandbox/requestBody';
import { englishMessage } from '../../src/core/messages';

const base: GenerateRequest = { model: 'gpt-image-2-origin', prompt: 'A cute baby sea otter' };

function failure(req: GenerateRequest): { field: string; message: string } {
  const r = validateRequest(req);
  assert.equal(r.ok, false, `expected ${JSON.stringify(req)} to be refused`);
  assert.ok(!r.ok);
  return { field: r.field, message: englishMessage(r.error) };
}

test('a complete request passes and keeps its values', () => {
  const req: GenerateRequest = { ...base, size: '2560x1440', quality: 'high', outputFormat: 'webp', n: 8 };
  assert.deepEqual(validateRequest(req), { ok: true, value: req });
});

test('the prompt must have text and fit the model limit', () => {
  assert.equal(failure({ ...base, prompt: '   \n ' }).field, 'prompt');
  const long = failure({ ...base, model: 'dall-e-2', prompt: 'x'.repeat(1001), size: '256x256' });
  assert.equal(long.field, 'prompt');
  assert.match(long.message, /1001.*1000/);
  assert.ok(validateRequest({ ...base, model: 'dall-e-2', prompt: 'x'.repeat(1000) }).ok);
  assert.ok(validateRequest({ ...base, prompt: 'x'.repeat(32000) }).ok);
  assert.equal(failure({ ...base, prompt: 'x'.repeat(32001) }).field, 'prompt');
});

test('sizes must come from the model table; the message lists a few and elides the rest', () => {
  const f = failure({ ...base, size: '1000x1000' });
  assert.equal(f.field, 'size');
  assert.match(f.message, /^size: 1000x1000 is not available for gpt-image-2-origin; use 1024x768, .*, …$/);
  assert.equal(failure({ ...base, size: 'auto' }).field, 'size', 'origin has no auto');
  assert.ok(validateRequest({ ...base, size: '1920x1080' }).ok, 'table sizes need not follow the pattern rule');
  assert.ok(validateRequest({ ...base, model: 'gpt-image-2-auto', size: 'auto' }).ok);
  assert.equal(failure({ ...base, model: 'gpt-image-2-auto', size: '1024x1024' }).field, 'size');
  assert.match(failure({ ...base, model: 'dall-e-3', size: '256x256' }).message, /1024x1024, 1792x1024, 1024x1792$/);
});

test('custom sizes are allowed only where the model allows them, by the pattern rule', () => {
  assert.ok(validateRequest({ ...base, model: 'my-gateway-model', size: '256x256' }).ok);
  assert.ok(validateRequest({ ...base, model: 'gpt-image-2', size: '2048x1152' }).ok);
  const f = failure({ ...base, model: 'my-gateway-model', size: '1920x1080' });
  assert.match(f.message, /custom WxH/);
  assert.equal(failure({ ...base, model: 'gpt-image-1', size: '2048x1152' }).field, 'size');
});

test('a size is sent as the schema writes it, however it was typed', () => {
  const sent = (model: string, size: string) => {
    const r = validateRequest({ ...base, model, size });
    return r.ok ? toRequestBody(r.value).size : englishMessage(r.error);
  };
  assert.equal(sent('gpt-image-2', ' 1536X864 '), '1536x864');
  assert.equal(sent('gpt-image-2', '01536x0864'), '1536x864');
  assert.equal(sent('my-gateway-model', '0256x256'), '256x256');
  assert.equal(sent('gpt-image-2-origin', '3840X2160'), '3840x2160', 'a table size typed in capitals is the table size');
  assert.equal(sent('gpt-image-2-auto', 'auto'), 'auto');
  assert.match(String(sent('gpt-image-2', '15x15x15')), /^size: 15x15x15 is not available/);
});

test('quality, format and n are checked against the model', () => {
  assert.match(failure({ ...base, quality: 'hd' }).message, /^quality: hd .* use low, medium, high$/);
  assert.match(failure({ ...base, model: 'dall-e-2', quality: 'high' }).message, /takes no quality/);
  assert.ok(validateRequest({ ...base, model: 'dall-e-3', quality: 'hd' }).ok);
  assert.ok(validateRequest({ ...base, model: 'my-gateway-model', quality: 'ultra' }).ok, 'unknown models pass any quality');
  assert.equal(failure({ ...base, model: 'my-gateway-model', quality: '  ' }).field, 'quality', 'but not a blank one');
  assert.equal(failure({ ...base, outputFormat: 'gif' as never }).field, 'outputFormat');
  assert.match(failure({ ...base, model: 'dall-e-3', outputFormat: 'png' }).message, /takes no output format/);
  assert.match(failure({ ...base, n: 9 }).message, /at most 8 images/);
  assert.match(failure({ ...base, model: 'dall-e-3', n: 2 }).message, /at most 1 image per/);
  assert.equal(failure({ ...base, n: 0 }).field, 'n');
  assert.equal(failure({ ...base, n: 1.5 }).field, 'n');
  assert.equal(failure({ ...base, n: '2' as never }).field, 'n');
});

test('the model id is required', () => {
  assert.equal(failure({ ...base, model: ' ' }).field, 'model');
});

test('toRequestBody sends only the fields set, in snake case', () => {
  assert.deepEqual(toRequestBody(base), { model: 'gpt-image-2-origin', prompt: 'A cute baby sea otter' });
  assert.deepEqual(toRequestBody({ ...base, size: '1024x1536', quality: 'medium', outputFormat: 'png', n: 2 }), {
    model: 'gpt-image-2-origin',
    prompt: 'A cute baby sea otter',
    size: '1024x1536',
    quality: 'medium',
    output_format: 'png',
    n: 2,
  });
});

test('fromRequestBody reverses toRequestBody and defaults the model', () => {
  const req: GenerateRequest = { ...base, size: '1024x1536', outputFormat: 'jpeg', n: 3 };
  assert.deepEqual(fromRequestBody(toRequestBody(req), 'x'), { ...req, quality: undefined });
  assert.equal(fromRequestBody({ prompt: 'p' }, 'gpt-image-2-origin').model, 'gpt-image-2-origin');
});

test('the later options go out in snake case, the API defaults never, compression only with jpeg or webp', () => {
  const req: GenerateRequest = {
    ...{ model: 'gpt-image-1', prompt: 'p', outputFormat: 'webp' },
    ...{ background: 'transparent', moderation: 'low', outputCompression: 70, inputFidelity: 'high', user: 'u-1' },
  };
  assert.deepEqual(toRequestBody(req), {
    ...{ model: 'gpt-image-1', prompt: 'p', output_format: 'webp' },
    ...{ background: 'transparent', moderation: 'low', output_compression: 70, user: 'u-1' },
  });
  const defaults: GenerateRequest = {
    ...base,
    background: 'auto',
    moderation: 'auto',
    outputCompression: 100,
    inputFidelity: 'low',
    user: '',
  };
  assert.deepEqual(toRequestBody({ ...defaults, outputFormat: 'jpeg' }), { ...toRequestBody(base), output_format: 'jpeg' });
  assert.deepEqual(toRequestBody(defaults, 'edit'), toRequestBody(base));
  assert.equal(toRequestBody({ ...req, outputFormat: 'png' }).output_compression, undefined);
  assert.equal(toRequestBody({ ...req, outputFormat: 'jpeg' }).output_compression, 70);
});

test('an edit sends input fidelity and no moderation; a generation the other way round', () => {
  const req: GenerateRequest = { model: 'gpt-image-1.5', prompt: 'p', moderation: 'low', inputFidelity: 'high' };
  assert.deepEqual(toRequestBody(req, 'edit'), { model: 'gpt-image-1.5', prompt: 'p', input_fidelity: 'high' });
  assert.deepEqual(toRequestBody(req), { model: 'gpt-image-1.5', prompt: 'p', moderation: 'low' });
});

test('previews stream: stream and partial_images when asked, never for a polled task', () => {
  const req: GenerateRequest = { ...base, model: 'gpt-image-2', partialImages: 2 };
  assert.deepEqual(toRequestBody(req), { model: 'gpt-image-2', prompt: base.prompt, stream: true, partial_images: 2 });
  assert.deepEqual(toRequestBody(req, 'edit'), { model: 'gpt-image-2', prompt: base.prompt, stream: true, partial_images: 2 });
  assert.deepEqual(toRequestBody(req, 'task'), { model: 'gpt-image-2', prompt: base.prompt });
  assert.equal('stream' in toRequestBody({ ...base, model: 'gpt-image-2' }), false);
});

test("a polled task sends only the fields the provider's task endpoint documents", () => {
  const req: GenerateRequest = {
    ...base,
    size: '1024x768',
    quality: 'high',
    outputFormat: 'webp',
    n: 2,
    background: 'opaque',
    moderation: 'low',
    outputCompression: 50,
    user: 'u-1',
  };
  assert.deepEqual(toRequestBody(req, 'task'), {
    model: base.model,
    prompt: base.prompt,
    size: '1024x768',
    quality: 'high',
    output_format: 'webp',
    n: 2,
  });
});

test('a transparent background with jpeg is refused before sending, naming the cause and the fix', () => {
  const f = failure({ ...base, model: 'gpt-image-1', outputFormat: 'jpeg', background: 'transparent' });
  assert.equal(f.field, 'background');
  assert.match(f.message, /transparent needs an image format with transparency, and jpeg has none; choose png or webp/);
  for (const outputFormat of ['png', 'webp'] as const) {
    assert.ok(validateRequest({ ...base, model: 'gpt-image-1', outputFormat, background: 'transparent' }).ok, outputFormat);
  }
  assert.ok(validateRequest({ ...base, model: 'gpt-image-1', outputFormat: 'jpeg', background: 'opaque' }).ok);
});

test('the later options are checked in shape: values, bounds, a user id without control characters', () => {
  assert.equal(failure({ ...base, background: 'clear' as never }).field, 'background');
  assert.equal(failure({ ...base, moderation: 'none' as never }).field, 'moderation');
  assert.equal(failure({ ...base, outputCompression: 101 }).field, 'outputCompression');
  assert.equal(failure({ ...base, outputCompression: 5.5 }).field, 'outputCompression');
  assert.equal(failure({ ...base, inputFidelity: 'max' as never }).field, 'inputFidelity');
  assert.equal(failure({ ...base, user: 'a\nb' }).field, 'user');
  assert.equal(failure({ ...base, user: 'x'.repeat(65) }).field, 'user');
  assert.equal(failure({ ...base, partialImages: 4 }).field, 'partialImages');
  assert.ok(validateRequest({ ...base, user: 'x'.repeat(64), partialImages: 0 }).ok);
});
