// The request options' one definition: package.json says the same, and fitting a request to a model
// keeps what callers chose, fits what they preferred, and says what it left out.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { getModel, MODELS } from '../../src/core/catalog';
import {
  describeDropped,
  fitRequest,
  INSERT_STYLES,
  MAX_IMAGES,
  MODES,
  option,
  OPTION_DEFAULTS,
  OUTPUT_FORMATS,
} from '../../src/core/options';

const ROOT = path.join(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const settings: Record<string, { default?: unknown; enum?: unknown[]; minimum?: number; maximum?: number; pattern?: string }> =
  manifest.contributes.configuration.properties;
const setting = (key: string) => settings[`gptImage.${key}`]!;
const tool = manifest.contributes.languageModelTools[0].inputSchema.properties;
const sorted = (values: readonly unknown[]) => [...values].map(String).sort();

describe("package.json follows the options' definition", () => {
  test('setting defaults', () => {
    for (const [key, value] of Object.entries(OPTION_DEFAULTS)) assert.deepEqual(setting(key).default, value, `gptImage.${key}`);
  });

  test('enumerations, bounds and patterns of the settings', () => {
    assert.deepEqual(setting('outputFormat').enum, [...OUTPUT_FORMATS]);
    assert.deepEqual(setting('insert').enum, [...INSERT_STYLES]);
    assert.deepEqual(setting('mode').enum, [...MODES]);
    assert.equal(setting('n').minimum, 1);
    assert.equal(setting('n').maximum, MAX_IMAGES);
    assert.deepEqual(sorted(setting('quality').enum!), sorted([...new Set(MODELS.flatMap((m) => m.qualities))]));
    // The manifest's pattern and the schema's accept and refuse the same sizes.
    const pattern = new RegExp(setting('size').pattern!);
    for (const size of ['auto', '1024x1024', '3840x2160', '64x64', 'big', '0x100', '1024x', '100000x10', ' 1024x1024']) {
      assert.equal(pattern.test(size), option.size.safeParse(size).success, size);
    }
  });

  test("the chat tool's input schema", () => {
    assert.deepEqual(tool.outputFormat.enum, [...OUTPUT_FORMATS]);
    assert.equal(tool.n.maximum, MAX_IMAGES);
    assert.equal(tool.n.default, 1);
    assert.deepEqual(sorted(tool.quality.enum), sorted([...new Set(MODELS.flatMap((m) => m.qualities))]));
    const sizes = new Set(MODELS.flatMap((m) => [...m.sizes.map((s) => s.size), ...(m.allowsAuto ? ['auto'] : [])]));
    assert.deepEqual(sorted(tool.size.enum), sorted([...sizes]));
  });

  test('the defaults pass their own schemas', () => {
    for (const [key, value] of Object.entries(OPTION_DEFAULTS)) {
      assert.ok(option[key as keyof typeof option].safeParse(value).success, key);
    }
  });
});

describe('fitRequest', () => {
  const origin = getModel('gpt-image-2-origin');
  const dalle3 = getModel('dall-e-3');
  const dalle2 = getModel('dall-e-2');

  test('a model that takes everything keeps everything', () => {
    const fit = fitRequest(origin, {}, { quality: 'high', outputFormat: 'webp', n: 3 });
    assert.deepEqual(fit, { options: { quality: 'high', outputFormat: 'webp', n: 3 }, dropped: [] });
  });

  test('preferred values the model does not take are left out or capped, with why', () => {
    const fit = fitRequest(dalle3, {}, { quality: 'medium', outputFormat: 'jpeg', n: 4 });
    assert.deepEqual(fit.options, { n: 1 });
    assert.deepEqual(fit.dropped, [
      { field: 'outputFormat', value: 'jpeg', reason: 'dall-e-3 takes no output format' },
      { field: 'quality', value: 'medium', reason: 'dall-e-3 takes standard, hd' },
      { field: 'n', value: 4, reason: 'dall-e-3 makes at most 1' },
    ]);
    assert.equal(
      describeDropped(fit.dropped),
      'left out outputFormat=jpeg (dall-e-3 takes no output format), quality=medium (dall-e-3 takes standard, hd), n=4 (dall-e-3 makes at most 1)',
    );
    assert.deepEqual(fitRequest(dalle2, {}, { quality: 'high' }).dropped, [
      { field: 'quality', value: 'high', reason: 'dall-e-2 takes no quality' },
    ]);
  });

  test('chosen values are kept for the request check to judge, and win over preferred ones', () => {
    const fit = fitRequest(dalle3, { quality: 'ultra', n: 5 }, { quality: 'hd', n: 1 });
    assert.deepEqual(fit.options, { quality: 'ultra', n: 5 });
    assert.deepEqual(fitRequest(origin, { outputFormat: 'png', n: 2 }, { outputFormat: 'webp', n: 8 }).options, {
      outputFormat: 'png',
      n: 2,
    });
  });

  test('a model without output formats gets none, even when chosen', () => {
    const fit = fitRequest(dalle2, { outputFormat: 'webp' });
    assert.equal(fit.options.outputFormat, undefined);
    assert.equal(fit.dropped[0]?.field, 'outputFormat');
  });

  test('n is 1 when nobody says, and exactly the maximum passes uncapped', () => {
    assert.equal(fitRequest(origin, {}).options.n, 1);
    const atMax = fitRequest(origin, {}, { n: origin.maxN });
    assert.equal(atMax.options.n, origin.maxN);
    assert.deepEqual(atMax.dropped, []);
  });
});
