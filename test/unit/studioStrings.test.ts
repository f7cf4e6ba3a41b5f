import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { MODELS } from '../../src/core/catalog';
import { studioStrings } from '../../src/sidebar/studioStrings';
import { MAX_STRING, MAX_TABLE, parseStrings } from '../../webview/l10n';
import { EN, format, placeholders, S, STRING_KEYS, useStrings, type StringTable } from '../../webview/strings';

const ROOT = path.resolve(__dirname, '../../..');
const identity = { t: (m: string) => m };

/** A complete table in another language, built like the host builds it. */
const marked: StringTable = studioStrings({ t: (m) => `«${m}»` });

describe('the host builds the studio text table', () => {
  it('with exactly the keys and English text of the page defaults', () => {
    assert.deepEqual(studioStrings(identity), EN);
    assert.deepEqual(Object.keys(studioStrings(identity)), STRING_KEYS);
  });

  it('translating every key through l10n.t', () => {
    for (const key of STRING_KEYS) assert.equal(marked[key], `«${EN[key]}»`, key);
  });

  it('from l10n.t literals the l10n test and bundle see (one per English text)', () => {
    const source = fs.readFileSync(path.join(ROOT, 'src/sidebar/studioStrings.ts'), 'utf8');
    // The same literal pattern as test/unit/l10n.test.ts.
    const literal = /l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\$]|\\.)*)`)/g;
    const found = [...source.matchAll(literal)].map((m) => (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
    assert.deepEqual(found.sort(), Object.values(EN).sort());
  });
});

describe('the English defaults', () => {
  it('number their placeholders from {0} without gaps', () => {
    for (const key of STRING_KEYS) {
      const ps = [...new Set(placeholders(EN[key]))];
      assert.deepEqual(ps, ps.map((_, i) => `{${i}}`).sort(), key);
    }
  });

  it('are read as plain strings only where they have no placeholder', () => {
    for (const key of STRING_KEYS) {
      const value = (S as unknown as Record<string, unknown>)[key];
      if (placeholders(EN[key]).length) assert.ok(value === undefined || typeof value === 'function', key);
      else assert.equal(value, EN[key], key);
    }
  });

  it('render as before', () => {
    assert.equal(S.prompt, 'Prompt');
    assert.equal(S.promptCount(1234, 32000), `${(1234).toLocaleString()} / ${(32000).toLocaleString()}`);
    assert.equal(S.promptTooLong(32000), `The prompt is longer than this model's limit of ${(32000).toLocaleString()} characters.`);
    assert.equal(S.cost('$0.04'), 'Estimated cost: $0.04');
    assert.equal(S.elapsed(7), '7 s');
    assert.equal(S.historyCount(20, 45), '20 of 45');
    assert.equal(S.historyCount(45, 45), '45');
    assert.equal(S.referenceCount(2, 16), '2 / 16');
    assert.equal(S.referencesFull(16), 'The studio holds at most 16 reference images.');
    assert.equal(
      S.referencesTooMany('dall-e-3', 0),
      'dall-e-3 cannot edit images: choose a GPT image model or dall-e-2, or remove the reference images to generate.',
    );
    assert.equal(S.referencesTooMany('dall-e-2', 1), 'dall-e-2 takes at most 1 reference image: remove some to edit.');
    assert.equal(S.referencesTooMany('gpt-image-1', 16), 'gpt-image-1 takes at most 16 reference images: remove some to edit.');
    assert.equal(S.removeReference('a.png'), 'Remove a.png');
    assert.equal(S.referenceSize(1024, 768), '1024×768');
    assert.equal(S.maskCanvas('a.png'), 'Mask over a.png: paint the area to change');
    assert.equal(S.pixelsValue(24), '24 px');
    assert.equal(S.maskTooBig('4.2'), 'The mask is 4.2 MB; it must be under 4 MB. Paint fewer separate spots, or clear it.');
    assert.equal(S.failed('HTTP 401'), 'Failed: HTTP 401');
  });
});

describe('catalog text in the studio', () => {
  afterEach(() => useStrings(EN));

  it('translates every catalog label with words in it, and leaves names alone', () => {
    useStrings(marked);
    for (const m of MODELS) {
      const worded = /\(/.test(m.label); // "GPT-Image-2 (billed by size)"; "DALL·E 3" is a name
      assert.equal(S.modelLabel(m.label) !== m.label, worded, m.label);
    }
    assert.equal(S.modelLabel('my-gateway-model'), 'my-gateway-model');
  });

  it("names every catalog model's qualities, and shows a gateway's own as sent", () => {
    useStrings(marked);
    for (const q of new Set(MODELS.flatMap((m) => m.qualities))) assert.match(S.qualityName(q), /^«.+»$/, q);
    assert.equal(S.qualityName('ultra'), 'ultra');
  });

  it('words a failure as one sentence, so a translation places its own punctuation', () => {
    useStrings({ ...EN, failed: '失败：{0}' });
    assert.equal(S.failed('HTTP 401'), '失败：HTTP 401');
  });
});

describe('templates', () => {
  it('fill placeholders in any order, leaving one without a value', () => {
    assert.equal(format('{1} / {0}', 'a', 'b'), 'b / a');
    assert.equal(format('{0} and {0}', 'x'), 'x and x');
    assert.equal(format('{0} {1}', 'x'), 'x {1}');
    assert.equal(format('{0}', '$& {1}', 'y'), '$& {1}', 'values are not patterns, nor filled again');
  });
});

describe('the active table', () => {
  afterEach(() => useStrings(EN));

  it('is read when the text is used', () => {
    const zh: StringTable = {
      ...EN,
      prompt: '提示词',
      cost: '预估费用：{0}',
      historyCount: '第 {0} 项，共 {1} 项',
      referencesTooMany: '{0} 最多接受 {1} 张参考图片：请移除一些再编辑。',
      promptTooLong: '提示词超过了此模型 {0} 个字符的上限。',
    };
    useStrings(zh);
    assert.equal(S.prompt, '提示词');
    assert.equal(S.cost('$0.04'), '预估费用：$0.04');
    assert.equal(S.historyCount(3, 10), '第 3 项，共 10 项');
    assert.equal(S.referencesTooMany('gpt-image-1', 16), 'gpt-image-1 最多接受 16 张参考图片：请移除一些再编辑。');
    assert.equal(S.promptTooLong(32000), `提示词超过了此模型 ${(32000).toLocaleString()} 个字符的上限。`);
    assert.equal(S.model, 'Model', 'untranslated keys keep the English default');
    useStrings(EN);
    assert.equal(S.prompt, 'Prompt');
  });
});

describe('the page reads the host table', () => {
  const json = (v: unknown) => JSON.stringify(v);

  it('uses a valid full table as it is', () => {
    assert.deepEqual(parseStrings(json(marked)), { table: marked });
  });

  it('fills missing keys with English', () => {
    const r = parseStrings(json({ prompt: '提示词', cost: '预估费用：{0}' }));
    assert.equal(r.problem, undefined);
    assert.deepEqual(r.table, { ...EN, prompt: '提示词', cost: '预估费用：{0}' });
  });

  it('keeps English for a key whose placeholders differ, and says so', () => {
    const r = parseStrings(json({ ...marked, cost: '预估费用', maskCanvas: '{1} 上的蒙版', historyCount: '{0} / {1} / {2}' }));
    assert.equal(r.table.cost, EN.cost);
    assert.equal(r.table.maskCanvas, EN.maskCanvas);
    assert.equal(r.table.historyCount, EN.historyCount);
    assert.equal(r.table.prompt, marked.prompt);
    assert.match(r.problem ?? '', /placeholders differ: cost, historyCount, maskCanvas/);
  });

  it('names an unknown key', () => {
    assert.match(parseStrings(json({ ...marked, extra: 'x' })).problem ?? '', /unknown keys extra/);
  });

  it('accepts placeholders in another order', () => {
    assert.equal(parseStrings(json({ historyCount: '{1} 中的 {0}' })).table.historyCount, '{1} 中的 {0}');
  });

  const rejected: [string, string | undefined][] = [
    ['an unknown key', json({ ...marked, extra: 'x' })],
    ['a prototype key', '{"__proto__": {"prompt": "x"}}'],
    ['a value that is too long', json({ ...marked, prompt: 'x'.repeat(MAX_STRING + 1) })],
    ['an empty value', json({ ...marked, prompt: '' })],
    ['a number', json({ ...marked, prompt: 1 })],
    ['null', json({ ...marked, prompt: null })],
    ['an array', json([marked])],
    ['a string', json('prompt')],
    ['JSON null', 'null'],
    ['not JSON', '{prompt: "x"'],
    ['a table that is too long', json(Object.fromEntries(STRING_KEYS.map((k) => [k, 'x'.repeat(MAX_TABLE / STRING_KEYS.length + 1)])))],
    ['no table', undefined],
    ['an empty attribute', ''],
  ];
  for (const [what, text] of rejected) {
    it(`uses English throughout for ${what}`, () => {
      const r = parseStrings(text);
      assert.deepEqual(r.table, EN);
      assert.ok(r.problem, 'says why');
    });
  }
});
