import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { estimateCost, PARTIAL_IMAGE_TOKENS, previewCost, PRICES_PER_IMAGE, TOKEN_PRICES } from '../../src/core/catalog';
import { checkCost, defaultConfirmAbove, pricesForCheck } from '../../src/core/cost';

const ROOT = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the manifest is free-form JSON
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;

test('the default threshold is four 2K images of the default model at list price', () => {
  assert.equal(defaultConfirmAbove(), estimateCost('gpt-image-2-origin', '2048x1152', 4));
  assert.equal(defaultConfirmAbove(), 0.22304);
  assert.equal(defaultConfirmAbove({ 'gpt-image-2-origin': { '2K': 0.1 } }), 0.4);
});

test("package.json's gptImage.confirmAbove default is the catalog's, read from user settings only", () => {
  const setting = pkg.contributes.configuration.properties['gptImage.confirmAbove'];
  assert.equal(setting.default, defaultConfirmAbove());
  assert.equal(setting.scope, 'application', 'a workspace cannot lower or turn off the question');
  assert.equal(setting.minimum, 0);
});

test('an untrusted workspace cannot set what a request costs', () => {
  const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  for (const key of ['n', 'size', 'askForSize', 'quality', 'model', 'mode', 'previews', 'inputFidelity']) {
    assert.ok(restricted.includes(`gptImage.${key}`), `gptImage.${key} is restricted`);
  }
});

test('asks only above the threshold; 0 turns it off; an unknown cost is not blocked unless a workspace chose it', () => {
  assert.deepEqual(checkCost(0.5, 0.22304), { kind: 'ask', cost: 0.5 });
  assert.deepEqual(checkCost(0.22304, 0.22304), { kind: 'within', cost: 0.22304 }, 'at the threshold: no question');
  assert.deepEqual(checkCost(0.01836, 0.22304), { kind: 'within', cost: 0.01836 });
  assert.deepEqual(checkCost(100, 0), { kind: 'off' });
  assert.deepEqual(checkCost(undefined, 0.22304), { kind: 'unknown' });
  assert.deepEqual(checkCost(undefined, 0), { kind: 'off' });
  // A workspace that chose what drives the cost: an unknown price asks too, unless the user never wants asking.
  assert.deepEqual(checkCost(undefined, 0.22304, true), { kind: 'ask', cost: undefined });
  assert.deepEqual(checkCost(0.01836, 0.22304, true), { kind: 'within', cost: 0.01836 }, 'a known price below: no question');
  assert.deepEqual(checkCost(undefined, 0, true), { kind: 'off' });
});

test("the check's prices are the list prices with the user's entries over them", () => {
  assert.deepEqual(pricesForCheck(undefined), PRICES_PER_IMAGE);
  const mine = { 'gpt-image-2-origin': { '1K': 0.5 }, 'my-model': { '1K': 0.2 } };
  assert.deepEqual(pricesForCheck(mine), mine);
  // Eight 4K images (the default model's most): far above the default threshold.
  const cost = estimateCost('gpt-image-2-origin', '3840x2160', 8, pricesForCheck({}));
  assert.equal(checkCost(cost, defaultConfirmAbove()).kind, 'ask');
});

test('partial images add n * partial_images * 100 image output tokens where the token price is known', () => {
  assert.equal(PARTIAL_IMAGE_TOKENS, 100);
  // gpt-image-1: $40 per 1M image output tokens, so one partial image is $0.004.
  assert.equal(TOKEN_PRICES['gpt-image-1']?.imageOutput, 40);
  assert.equal(previewCost('gpt-image-1', 3, 2), 0.024);
  assert.equal(previewCost('gpt-image-1', 3, 0), 0);
  assert.equal(previewCost('gpt-image-2-origin', 3, 2), undefined, 'no token price: nothing known to add');
  const mine = { 'gpt-image-1': { '1K': 0.042 } };
  assert.equal(estimateCost('gpt-image-1', '1024x1024', 3, mine), 0.126);
  assert.equal(estimateCost('gpt-image-1', '1024x1024', 3, mine, 2), 0.15);
  // Without a per-image price the whole is still unknown; with one but no token price, previews add nothing.
  assert.equal(estimateCost('gpt-image-1', '1024x1024', 3, {}, 2), undefined);
  assert.equal(estimateCost('gpt-image-2-origin', '1024x1024', 1, PRICES_PER_IMAGE, 3), 0.01836);
});

test('an untrusted workspace cannot ask for previews or change what goes out', () => {
  const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  for (const key of ['previews', 'streamingModels', 'background', 'moderation', 'outputCompression']) {
    assert.ok(restricted.includes(`gptImage.${key}`), `gptImage.${key} is restricted`);
  }
});
