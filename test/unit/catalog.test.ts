import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  DEFAULTS,
  describeSize,
  estimateCost,
  getModel,
  isValidCustomSize,
  MODELS,
  parseSize,
  soleSize,
  type Orientation,
  type Tier,
} from '../../src/core/catalog';

interface TableSize {
  size: string;
  tier: Tier;
  ratio: string;
  orientation: Orientation;
}

/** The sizes of the provider's page, read from its markdown tables under the "### 1K/2K/4K" headings. */
function sizesFromFixture(): TableSize[] {
  const text = readFileSync(join(__dirname, '../../../test/fixtures/gpt-image-2-generate.md'), 'utf8');
  const out: TableSize[] = [];
  let tier: Tier | undefined;
  for (const line of text.split('\n')) {
    const heading = /^###\s+(1K|2K|4K)\s*$/.exec(line);
    if (heading) tier = heading[1] as Tier;
    else if (/^##?\s/.test(line)) tier = undefined;
    if (!tier || !line.startsWith('| `')) continue;
    const [ratioCell, landscapeCell, portraitCell] = line
      .split('|')
      .slice(1)
      .map((c) => c.trim());
    const [landscapeRatio, portraitRatio] = ratioCell
      .replace(/`/g, '')
      .split('/')
      .map((r) => r.trim());
    const sizes = (cell: string) => [...cell.matchAll(/`(\d+x\d+)`/g)].map((m) => m[1]);
    for (const size of sizes(landscapeCell)) {
      const orientation = landscapeRatio === '1:1' ? 'square' : 'landscape';
      out.push({ size, tier, ratio: landscapeRatio, orientation });
    }
    for (const size of sizes(portraitCell)) out.push({ size, tier, ratio: portraitRatio, orientation: 'portrait' });
  }
  return out;
}

function ratioMatches(label: string, width: number, height: number): boolean {
  const [a, b] = label.split(':').map(Number);
  return Math.abs(width / height / (a / b) - 1) < 0.02;
}

const fixture = sizesFromFixture();
const origin = getModel('gpt-image-2-origin');

test('the fixture parses into the three tiers', () => {
  assert.ok(fixture.length >= 40, `only ${fixture.length} sizes parsed`);
  assert.deepEqual([...new Set(fixture.map((s) => s.tier))], ['1K', '2K', '4K']);
});

test('every size of the provider tables is in the catalog with its tier, ratio and orientation', () => {
  for (const expected of fixture) {
    const entry = origin.sizes.find((s) => s.size === expected.size);
    assert.ok(entry, `${expected.size} missing`);
    assert.equal(entry.tier, expected.tier, expected.size);
    assert.equal(entry.orientation, expected.orientation, expected.size);
    assert.equal(entry.ratio, expected.ratio, expected.size);
    assert.ok(ratioMatches(entry.ratio, entry.width, entry.height), `${expected.size} is not ${entry.ratio}`);
    assert.equal(`${entry.width}x${entry.height}`, entry.size);
  }
  assert.equal(origin.sizes.length, fixture.length, 'the catalog has sizes the tables do not');
});

test('the common OpenAI sizes are 1K with their ratios', () => {
  assert.deepEqual(
    ['1536x1024', '1024x1536'].map((s) => [describeSize(s)?.tier, describeSize(s)?.ratio, describeSize(s)?.orientation]),
    [
      ['1K', '3:2', 'landscape'],
      ['1K', '2:3', 'portrait'],
    ],
  );
  assert.deepEqual(
    getModel('gpt-image-1').sizes.map((s) => s.size),
    ['1024x1024', '1536x1024', '1024x1536'],
  );
});

test('describeSize describes sizes outside the tables without a tier', () => {
  assert.deepEqual(describeSize('1792x1024'), {
    size: '1792x1024',
    width: 1792,
    height: 1024,
    tier: undefined,
    ratio: '7:4',
    orientation: 'landscape',
  });
  assert.equal(describeSize('256x256')?.orientation, 'square');
  assert.equal(describeSize('auto'), undefined);
  assert.equal(describeSize('big'), undefined);
});

test('models carry the documented limits', () => {
  const limits = Object.fromEntries(MODELS.map((m) => [m.id, [m.promptLimit, m.maxN, m.allowsAuto]]));
  assert.deepEqual(limits, {
    'gpt-image-2-origin': [32000, 8, false],
    'gpt-image-2-auto': [32000, 8, true],
    'gpt-image-2': [32000, 8, true],
    'gpt-image-2-2026-04-21': [32000, 10, true],
    'gpt-image-1.5': [32000, 10, true],
    'gpt-image-1': [32000, 10, true],
    'gpt-image-1-mini': [32000, 10, true],
    'chatgpt-image-latest': [32000, 10, true],
    'dall-e-3': [4000, 1, false],
    'dall-e-2': [1000, 10, false],
  });
  assert.deepEqual(
    getModel('dall-e-3').sizes.map((s) => s.size),
    ['1024x1024', '1792x1024', '1024x1792'],
  );
  assert.deepEqual(getModel('dall-e-3').qualities, ['standard', 'hd']);
  assert.deepEqual(
    getModel('dall-e-2').sizes.map((s) => s.size),
    ['256x256', '512x512', '1024x1024'],
  );
  assert.deepEqual(getModel('dall-e-2').qualities, []);
  assert.deepEqual(origin.qualities, ['low', 'medium', 'high']);
  assert.deepEqual(getModel('gpt-image-2-auto').sizes, []);
  assert.ok(MODELS.every((m) => m.known));
  assert.equal(DEFAULTS.model, origin.id);
  assert.ok(origin.qualities.includes(DEFAULTS.quality));
});

test("OpenAI's schema: custom sizes for gpt-image-2 and its snapshot only, input fidelity for gpt-image-1 and 1.5 only", () => {
  const of = (id: string) => [getModel(id).allowsCustomSize, getModel(id).takes.includes('inputFidelity')];
  assert.deepEqual(
    Object.fromEntries(
      ['gpt-image-2', 'gpt-image-2-2026-04-21', 'gpt-image-1.5', 'gpt-image-1', 'gpt-image-1-mini', 'chatgpt-image-latest'].map((id) => [
        id,
        of(id),
      ]),
    ),
    {
      'gpt-image-2': [true, false],
      'gpt-image-2-2026-04-21': [true, false],
      'gpt-image-1.5': [false, true],
      'gpt-image-1': [false, true],
      'gpt-image-1-mini': [false, false],
      'chatgpt-image-latest': [false, false],
    },
  );
});

test('an unknown model is permissive', () => {
  const m = getModel('my-gateway-image');
  assert.equal(m.known, false);
  assert.equal(m.id, 'my-gateway-image');
  assert.equal(m.allowsCustomSize, true);
  assert.equal(m.allowsAuto, true);
  assert.equal(m.promptLimit, 32000);
  assert.equal(m.maxN, 10);
});

test('parseSize reads WxH only', () => {
  assert.deepEqual(parseSize('1536x1024'), { width: 1536, height: 1024 });
  assert.equal(parseSize('0x1024'), undefined);
  assert.equal(parseSize('1536*1024'), undefined);
  assert.equal(parseSize('auto'), undefined);
});

test('isValidCustomSize applies the multiple-of-16, 3:1 and 3840x2160 rule', () => {
  for (const ok of ['256x256', '3840x2160', '2160x3840', '1536x512', '2048x2048', '2880x2880']) assert.ok(isValidCustomSize(ok), ok);
  for (const bad of ['1920x1080', '1000x1000', '1600x512', '4096x1024', '3856x1024', '3840x2176', 'x', '0x0']) {
    assert.ok(!isValidCustomSize(bad), bad);
  }
});

test('estimateCost multiplies the tier price by n', () => {
  assert.equal(estimateCost('gpt-image-2-origin', '1024x1024', 1), 0.01836);
  assert.equal(estimateCost('gpt-image-2-origin', '2560x1440', 2), 0.11152);
  assert.equal(estimateCost('gpt-image-2-origin', '3840x2160', 3), 0.34272);
  assert.equal(estimateCost('gpt-image-2-origin', '999x999', 1), undefined);
  assert.equal(estimateCost('dall-e-3', '1024x1024', 1), undefined);
  assert.equal(estimateCost('dall-e-3', '1024x1024', 2, { 'dall-e-3': { '1K': 0.04 } }), undefined, 'dall-e sizes have no tier');
  assert.equal(estimateCost('gpt-image-1', '1024x1024', 2, { 'gpt-image-1': { '1K': 0.04 } }), 0.08);
});

test('only a model whose one choice is auto leaves no size to ask', () => {
  assert.equal(soleSize(getModel('gpt-image-2-auto')), 'auto');
  assert.equal(soleSize(getModel('gpt-image-2-origin')), undefined, 'a size table');
  assert.equal(soleSize(getModel('gpt-image-2')), undefined, 'auto and custom sizes');
  assert.equal(soleSize(getModel('dall-e-3')), undefined, 'no auto');
  assert.equal(soleSize(getModel('gpt-image-1')), undefined, 'auto and a size list');
});

test('which model takes which of the later options, and which streams', () => {
  const row = (id: string) => {
    const m = getModel(id);
    return [[...m.takes].sort().join(' '), m.streaming];
  };
  const openAi = 'background moderation outputCompression user';
  assert.deepEqual(row('gpt-image-2'), [openAi, 'always'], 'never input fidelity');
  assert.deepEqual(row('gpt-image-1.5'), [`background inputFidelity moderation outputCompression user`, 'always']);
  assert.deepEqual(row('gpt-image-1'), [`background inputFidelity moderation outputCompression user`, 'always']);
  assert.deepEqual(row('gpt-image-2-origin'), ['', 'whenNamed']);
  assert.deepEqual(row('gpt-image-2-auto'), ['', 'whenNamed']);
  assert.deepEqual(row('dall-e-3'), ['user', 'never']);
  assert.deepEqual(row('dall-e-2'), ['user', 'never']);
  assert.deepEqual(row('a-gateway-model'), ['background inputFidelity moderation outputCompression user', 'whenNamed']);
});
