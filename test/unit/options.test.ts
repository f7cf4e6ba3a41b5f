// The request options' one definition: package.json says the same, and fitting a request to a model
// keeps what callers chose, fits what they preferred, and says what it left out.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { getModel, MODELS } from '../../src/core/catalog';
import {
  asTaskRequest,
  BACKGROUNDS,
  describeDropped,
  fitRequest,
  INPUT_FIDELITIES,
  INSERT_STYLES,
  MAX_IMAGES,
  MODERATIONS,
  MODES,
  option,
  OPTION_DEFAULTS,
  OUTPUT_FORMATS,
  PREVIEWS,
  streams,
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

describe('the later options in package.json', () => {
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  const scope = (key: string) => (settings[`gptImage.${key}`] as { scope?: string }).scope;

  test('enumerations and bounds follow options.ts', () => {
    assert.deepEqual(setting('background').enum, [...BACKGROUNDS]);
    assert.deepEqual(setting('moderation').enum, [...MODERATIONS]);
    assert.deepEqual(setting('inputFidelity').enum, [...INPUT_FIDELITIES]);
    assert.deepEqual(setting('previews').enum, [...PREVIEWS]);
    assert.deepEqual([setting('outputCompression').minimum, setting('outputCompression').maximum], [0, 100]);
    assert.deepEqual(setting('streamingModels').default, []);
    // The manifest's pattern and length and the schema's accept and refuse the same user ids.
    const user = setting('user') as { pattern: string; maxLength: number };
    for (const id of [
      '',
      'user-42',
      'ü@example.com',
      'a'.repeat(64),
      'a'.repeat(65),
      'tab\there',
      'nul\u0000',
      'line\nbreak',
      'del\u007f',
    ]) {
      const manifestTakes = new RegExp(user.pattern).test(id) && id.length <= user.maxLength;
      assert.equal(manifestTakes, option.user.safeParse(id).success, JSON.stringify(id));
    }
  });

  test('what could raise the cost or speak for the user is not a workspace’s to set', () => {
    for (const key of ['previews', 'streamingModels', 'background', 'moderation', 'outputCompression', 'inputFidelity', 'user']) {
      assert.ok(restricted.includes(`gptImage.${key}`), key);
    }
    // Read from the user's settings only: what the gateway does, and who the user is.
    assert.deepEqual([scope('streamingModels'), scope('user')], ['application', 'application']);
  });

  test("the chat tool's background and compression", () => {
    assert.deepEqual(tool.background.enum, [...BACKGROUNDS]);
    assert.deepEqual([tool.outputCompression.minimum, tool.outputCompression.maximum], [0, 100]);
    // Previews, moderation, input fidelity and the user id are not the agent's to choose.
    for (const key of ['previews', 'moderation', 'inputFidelity', 'user', 'partialImages']) assert.equal(tool[key], undefined, key);
  });
});

describe('fitRequest: the later options, per model', () => {
  const all = { background: 'transparent', moderation: 'low', outputCompression: 80, inputFidelity: 'high', user: 'u-7' } as const;
  const webp = { outputFormat: 'webp' } as const;

  test("OpenAI's GPT image models take them all, with previews", () => {
    for (const id of ['gpt-image-2', 'gpt-image-1.5', 'gpt-image-1']) {
      const fit = fitRequest(getModel(id), {}, { ...webp, ...all, previews: '2' });
      const generation = { background: 'transparent', moderation: 'low', outputCompression: 80, user: 'u-7' };
      assert.deepEqual(fit.options, { outputFormat: 'webp', n: 1, ...generation, partialImages: 2 }, id);
      assert.deepEqual(fit.dropped, [], id);
    }
  });

  test('input fidelity goes with edits to gpt-image-1 and gpt-image-1.5, never to gpt-image-2', () => {
    for (const id of ['gpt-image-1.5', 'gpt-image-1']) {
      assert.equal(fitRequest(getModel(id), {}, { inputFidelity: 'high' }, { edit: true }).options.inputFidelity, 'high', id);
    }
    const two = fitRequest(getModel('gpt-image-2'), {}, { inputFidelity: 'high' }, { edit: true });
    assert.equal(two.options.inputFidelity, undefined);
    assert.deepEqual(two.dropped, [{ field: 'inputFidelity', value: 'high', reason: 'gpt-image-2 takes no input fidelity' }]);
  });

  test("an edit takes no moderation, a generation no input fidelity: the other call's setting is not this one's", () => {
    const edit = fitRequest(getModel('gpt-image-1'), {}, { moderation: 'low', inputFidelity: 'high' }, { edit: true });
    assert.deepEqual([edit.options.moderation, edit.options.inputFidelity, edit.dropped], [undefined, 'high', []]);
    const generation = fitRequest(getModel('gpt-image-1'), {}, { moderation: 'low', inputFidelity: 'high' });
    assert.deepEqual([generation.options.moderation, generation.options.inputFidelity, generation.dropped], ['low', undefined, []]);
  });

  test("the provider's models take none of them and do not stream unless gptImage.streamingModels names them", () => {
    for (const id of ['gpt-image-2-origin', 'gpt-image-2-auto']) {
      const model = getModel(id);
      const fit = fitRequest(model, { background: 'opaque' }, { ...webp, ...all, previews: '3' });
      assert.deepEqual(fit.options, { outputFormat: 'webp', n: 1 }, id);
      assert.deepEqual(
        fit.dropped.map((d) => d.field),
        ['background', 'moderation', 'outputCompression', 'user', 'previews'],
      );
      assert.equal(fit.dropped.at(-1)?.reason, `${id} does not stream unless gptImage.streamingModels names it`);
      assert.deepEqual(fit.dropped.find((d) => d.field === 'user')?.value, '(set)', 'the user id is not logged');
      assert.equal(fitRequest(model, {}, { previews: '3' }, { streamingModels: [id] }).options.partialImages, 3, id);
      assert.equal(
        fitRequest(model, {}, { previews: '3' }, { streamingModels: ['gpt-image-2-origin-x'] }).options.partialImages,
        undefined,
      );
    }
  });

  test('DALL·E takes the user id only, and never streams', () => {
    const fit = fitRequest(
      getModel('dall-e-3'),
      { background: 'transparent' },
      { user: 'u-7', moderation: 'low', previews: '1' },
      {
        streamingModels: ['dall-e-3'],
      },
    );
    assert.deepEqual(fit.options, { n: 1, user: 'u-7' });
    assert.deepEqual(fit.dropped, [
      { field: 'background', value: 'transparent', reason: 'dall-e-3 takes no background' },
      { field: 'moderation', value: 'low', reason: 'dall-e-3 takes no moderation' },
      { field: 'previews', value: '1', reason: 'dall-e-3 does not stream' },
    ]);
  });

  test("a gateway's own model takes what was chosen, and streams only when named", () => {
    const model = getModel('house-model-7');
    const fit = fitRequest(model, { background: 'opaque', outputFormat: 'jpeg', outputCompression: 50 }, { previews: '2' });
    assert.deepEqual(fit.options, { outputFormat: 'jpeg', n: 1, background: 'opaque', outputCompression: 50 });
    assert.deepEqual(
      fit.dropped.map((d) => d.field),
      ['previews'],
    );
    assert.equal(fitRequest(model, {}, { previews: '2' }, { streamingModels: ['house-model-7'] }).options.partialImages, 2);
  });

  test("the API's defaults are not sent and not noted", () => {
    for (const model of MODELS) {
      const fit = fitRequest(model, { background: 'auto' }, { moderation: 'auto', outputCompression: 100, inputFidelity: 'low', user: '' });
      for (const field of ['background', 'moderation', 'outputCompression', 'inputFidelity', 'user'] as const) {
        assert.equal(fit.options[field], undefined, `${model.id} ${field}`);
      }
      assert.deepEqual(fit.dropped, [], model.id);
    }
    assert.equal(fitRequest(getModel('gpt-image-2'), {}, { previews: 'off' }).options.partialImages, undefined);
  });

  test('compression only with jpeg or webp: with png it is left out, with why', () => {
    const png = fitRequest(getModel('gpt-image-2'), { outputCompression: 60 }, { outputFormat: 'png' });
    assert.equal(png.options.outputCompression, undefined);
    assert.deepEqual(png.dropped, [{ field: 'outputCompression', value: 60, reason: 'png takes no compression; jpeg and webp do' }]);
    assert.equal(fitRequest(getModel('gpt-image-2'), {}, { outputFormat: 'jpeg', outputCompression: 60 }).options.outputCompression, 60);
  });

  test('a polled task takes none of the other options, and says so', () => {
    const fit = fitRequest(getModel('gpt-image-2'), { background: 'opaque' }, { moderation: 'low', previews: 'off' }, { mode: 'async' });
    assert.deepEqual([fit.options.background, fit.options.moderation], [undefined, undefined]);
    assert.deepEqual(
      fit.dropped.map((d) => d.reason),
      ['a polled task takes no background', 'a polled task takes no moderation'],
    );
  });

  test('a request made for a synchronous call, as a task: the rest left out, and said', () => {
    const task = asTaskRequest({ quality: 'high', n: 2, background: 'transparent', user: 'u-7', partialImages: 2 });
    assert.deepEqual(task.request, { quality: 'high', n: 2 });
    assert.deepEqual(
      describeDropped(task.dropped),
      'left out background=transparent (a polled task takes no background), user=(set) (a polled task takes no user id), previews=2 (a polled task does not stream)',
    );
    assert.deepEqual(asTaskRequest({ quality: 'low' }).dropped, []);
  });

  test('a polled task never streams', () => {
    const fit = fitRequest(getModel('gpt-image-2'), {}, { previews: '2' }, { mode: 'async' });
    assert.equal(fit.options.partialImages, undefined);
    assert.deepEqual(fit.dropped, [{ field: 'previews', value: '2', reason: 'a polled task does not stream' }]);
  });

  test('streams(): the catalog, then the user’s list for the models it leaves open', () => {
    assert.deepEqual(
      MODELS.filter((m) => streams(m)).map((m) => m.id),
      ['gpt-image-2', 'gpt-image-2-2026-04-21', 'gpt-image-1.5', 'gpt-image-1', 'gpt-image-1-mini', 'chatgpt-image-latest'],
    );
    assert.equal(streams(getModel('dall-e-2'), ['dall-e-2']), false);
    assert.equal(streams(getModel('gpt-image-2-auto'), ['gpt-image-2-auto']), true);
  });
});
