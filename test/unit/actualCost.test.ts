import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { actualCost, MAX_TOKENS } from '../../src/core/actualCost';
import { estimateCost, TOKEN_PRICES } from '../../src/core/catalog';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/openai-usage.json'), 'utf8')) as { usage: object };
const usage = (input: object = {}, rest: object = {}) => ({
  input_tokens: 1030,
  output_tokens: 4160,
  total_tokens: 5190,
  input_tokens_details: { text_tokens: 30, image_tokens: 1000, ...input },
  ...rest,
});

describe('actual cost from usage', () => {
  it("prices OpenAI's example usage at each model's list prices", () => {
    // 10 text, 40 image input, 50 output tokens.
    assert.equal(actualCost('gpt-image-1', fixture.usage), (10 * 5 + 40 * 10 + 50 * 40) / 1e6);
    assert.equal(actualCost('gpt-image-1-mini', fixture.usage), (10 * 2 + 40 * 2.5 + 50 * 8) / 1e6);
    assert.equal(actualCost('gpt-image-1.5', fixture.usage), (10 * 5 + 40 * 8 + 50 * 32) / 1e6);
  });

  it('a high-quality square image of gpt-image-1 with a reference image', () => {
    assert.equal(actualCost('gpt-image-1', usage()), 0.17655);
  });

  it('agrees with the estimate when the usage is what the table says', () => {
    const out = { input_tokens: 0, output_tokens: 1056, input_tokens_details: { text_tokens: 0, image_tokens: 0 } };
    assert.equal(actualCost('gpt-image-1', out), estimateCost('gpt-image-1', '1024x1024', 1, {}, 0, 'medium'));
  });

  it('a model without token prices has no actual cost, whatever the usage', () => {
    for (const model of ['gpt-image-2-origin', 'gpt-image-2', 'dall-e-3', 'my-own', 'constructor', '__proto__', 'toString']) {
      assert.equal(actualCost(model, usage()), undefined, model);
    }
  });

  it('uses the prices it is given', () => {
    assert.equal(actualCost('mine', usage(), { mine: { textInput: 1e6, imageInput: 0, imageOutput: 0 } }), 30);
    assert.equal(actualCost('gpt-image-1', usage(), {}), undefined);
    // A price table that is not numbers (or a name it only inherits) gives no cost rather than NaN or Infinity.
    assert.equal(actualCost('mine', usage(), { mine: { textInput: Infinity, imageInput: 0, imageOutput: 0 } }), undefined);
    assert.equal(actualCost('mine', usage(), { mine: { textInput: -1, imageInput: 0, imageOutput: 0 } }), undefined);
  });

  it('hostile usage gives undefined, never NaN, Infinity or a throw', () => {
    const cases: unknown[] = [
      undefined,
      null,
      'usage',
      42,
      [],
      [usage()],
      {},
      usage({}, { output_tokens: -1 }),
      usage({}, { output_tokens: Number.NaN }),
      usage({}, { output_tokens: Number.POSITIVE_INFINITY }),
      usage({}, { output_tokens: 1e30 }),
      usage({}, { output_tokens: MAX_TOKENS + 1 }),
      usage({}, { output_tokens: '4160' }),
      usage({}, { output_tokens: 4160.5 }),
      usage({}, { output_tokens: undefined }),
      usage({ text_tokens: -30 }),
      usage({ image_tokens: '1000' }),
      usage({ image_tokens: 1e30 }),
      usage({ text_tokens: null }),
      usage({}, { input_tokens_details: undefined }),
      usage({}, { input_tokens_details: null }),
      usage({}, { input_tokens_details: [30, 1000] }),
      usage({}, { input_tokens_details: 'text' }),
      // The split must add up to the input count when one is given.
      usage({}, { input_tokens: 1031 }),
      usage({}, { input_tokens: -1 }),
      usage({}, { input_tokens: '1030' }),
    ];
    for (const u of cases) {
      assert.equal(actualCost('gpt-image-1', u), undefined, JSON.stringify(u));
    }
  });

  it('the largest counts it takes still give a finite price', () => {
    const big = { output_tokens: MAX_TOKENS, input_tokens_details: { text_tokens: MAX_TOKENS, image_tokens: MAX_TOKENS } };
    const cost = actualCost('gpt-image-1', big);
    assert.equal(cost, (MAX_TOKENS * (5 + 10 + 40)) / 1e6);
    assert.ok(Number.isFinite(cost));
  });

  it('without input_tokens the split is taken as it is; zero tokens cost nothing', () => {
    assert.equal(actualCost('gpt-image-1', usage({}, { input_tokens: undefined })), 0.17655);
    assert.equal(actualCost('gpt-image-1', { output_tokens: 0, input_tokens_details: { text_tokens: 0, image_tokens: 0 } }), 0);
  });

  it('unknown fields (output details, extras) do not matter', () => {
    const extra = usage({ cached_tokens: 5 }, { output_tokens_details: { image_tokens: 4160, text_tokens: 0 }, cost: 'free' });
    assert.equal(actualCost('gpt-image-1', extra), 0.17655);
  });

  it('every list price is a finite positive number', () => {
    for (const [model, p] of Object.entries(TOKEN_PRICES)) {
      for (const v of Object.values(p)) assert.ok(Number.isFinite(v) && v > 0, model);
    }
  });
});

describe('estimate of token-billed models', () => {
  it("counts the image output tokens of OpenAI's table at the model's output price", () => {
    assert.equal(estimateCost('gpt-image-1', '1024x1024', 1, {}, 0, 'medium'), 0.04224);
    assert.equal(estimateCost('gpt-image-1', '1536x1024', 2, {}, 0, 'high'), 0.49664);
    assert.equal(estimateCost('gpt-image-1.5', '1024x1536', 1, {}, 0, 'low'), 0.01306);
    // Partial images add 100 output tokens each.
    assert.equal(estimateCost('gpt-image-1', '1024x1024', 1, {}, 2, 'low'), 0.01888);
  });

  it('is unknown for a quality, size or model the table has not', () => {
    assert.equal(estimateCost('gpt-image-1', '1024x1024', 1, {}, 0, 'auto'), undefined);
    assert.equal(estimateCost('gpt-image-1', '1024x1024', 1, {}, 0, undefined), undefined);
    assert.equal(estimateCost('gpt-image-1', '2048x2048', 1, {}, 0, 'high'), undefined);
    assert.equal(estimateCost('gpt-image-1', 'constructor', 1, {}, 0, 'high'), undefined);
    assert.equal(estimateCost('gpt-image-1', '1024x1024', 1, {}, 0, 'toString'), undefined);
    assert.equal(estimateCost('gpt-image-1-mini', '1024x1024', 1, {}, 0, 'medium'), undefined, 'its counts are not known');
    assert.equal(estimateCost('gpt-image-2', '1024x1024', 1, {}, 0, 'medium'), undefined);
  });

  it('a per-image price, when there is one, comes first', () => {
    assert.equal(estimateCost('gpt-image-1', '1024x1024', 1, { 'gpt-image-1': { '1K': 0.5 } }, 0, 'medium'), 0.5);
  });
});
