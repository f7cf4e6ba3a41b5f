import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageFileName, slugify, timestamp, uniqueFileName } from '../../src/core/naming';

const SAFE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

describe('slugify', () => {
  it('lowercases and joins words with dashes', () => {
    assert.equal(slugify('A cute baby sea otter'), 'a-cute-baby-sea-otter');
  });

  it('strips diacritics and maps letters NFKD keeps', () => {
    assert.equal(slugify('Crème brûlée à São Paulo'), 'creme-brulee-a-sao-paulo');
    assert.equal(slugify('Straße Øresund Æsir Łódź'), 'strasse-oresund-aesir-lodz');
    assert.equal(slugify('ﬁne Ｆｕｌｌｗｉｄｔｈ ①'), 'fine-fullwidth-1');
  });

  it('collapses punctuation and trims dashes', () => {
    assert.equal(slugify('  --Hello,   World!!--  '), 'hello-world');
    assert.equal(slugify('a/b\\c:d*e?f"g<h>i|j'), 'a-b-c-d-e-f-g-h-i-j');
    assert.equal(slugify('../../etc/passwd'), 'etc-passwd');
  });

  it('falls back to "image" when nothing ASCII is left', () => {
    for (const prompt of [
      '',
      '   ',
      '🦦🌊✨',
      'שלום עולם',
      'مرحبا بالعالم',
      '日本語のプロンプト',
      '<>',
      '---',
      '<script></script>'.replace(/[a-z]/g, ''),
    ]) {
      assert.equal(slugify(prompt), 'image', JSON.stringify(prompt));
    }
  });

  it('keeps the ASCII part of mixed text', () => {
    assert.equal(slugify('<script>alert(1)</script>'), 'script-alert-1-script');
    assert.equal(slugify('otter 🦦 in שלום water'), 'otter-in-water');
  });

  it('cuts at a word boundary within maxLength', () => {
    const slug = slugify('a cute baby sea otter floating on its back in a calm blue ocean at sunset');
    assert.ok(slug.length <= 48, slug);
    assert.equal(slug, 'a-cute-baby-sea-otter-floating-on-its-back-in-a');
    assert.equal(slugify('alpha beta gamma', 10), 'alpha-beta');
    assert.equal(slugify('alpha beta gamma', 11), 'alpha-beta');
    assert.equal(slugify('alpha beta gamma', 9), 'alpha');
  });

  it('hard-cuts a single word longer than maxLength', () => {
    assert.equal(slugify('x'.repeat(100), 10), 'x'.repeat(10));
    assert.equal(slugify('supercalifragilistic', 5), 'super');
  });

  it('stays short and safe for a 10,000 character prompt', () => {
    const slug = slugify('word '.repeat(2000));
    assert.ok(slug.length <= 48);
    assert.match(slug, SAFE);
  });

  it('never returns a Windows reserved device name', () => {
    for (const name of ['con', 'PRN', 'aux', 'Nul', 'com1', 'COM9', 'lpt1', 'lpt9', 'com¹']) {
      const slug = slugify(name);
      assert.notEqual(slug, name.toLowerCase());
      assert.doesNotMatch(slug, /^(con|prn|aux|nul|com\d|lpt\d)$/);
      assert.match(slug, SAFE);
    }
    assert.equal(slugify('CON'), 'con-image');
    assert.equal(slugify('con', 4), 'image');
    assert.equal(slugify('console'), 'console');
  });

  it('always produces a safe slug', () => {
    const hostile = [
      '\n\t\r',
      '"quoted" \'single\'',
      '`backticks`',
      '] ) ( [',
      '\u202eevil\u202c',
      'a\u0000b',
      '%00%2e%2e',
      'CON.png',
      ' . ',
      '...',
    ];
    for (const p of hostile) assert.match(slugify(p), SAFE, JSON.stringify(p));
  });
});

describe('timestamp', () => {
  it('uses local time components, zero-padded', () => {
    assert.equal(timestamp(new Date(2026, 10, 25, 17, 30, 12)), '20261125-173012');
    assert.equal(timestamp(new Date(2026, 0, 5, 3, 4, 5)), '20260105-030405');
    assert.equal(timestamp(new Date(999, 0, 1, 0, 0, 0)), '09990101-000000');
  });
});

describe('imageFileName', () => {
  const date = new Date(2026, 10, 25, 17, 30, 12);

  it('joins slug, timestamp and extension', () => {
    assert.equal(imageFileName('A cute baby sea otter', date, 'png'), 'a-cute-baby-sea-otter-20261125-173012.png');
  });

  it('appends the 1-based index when given', () => {
    assert.equal(imageFileName('A cute baby sea otter', date, 'png', 1), 'a-cute-baby-sea-otter-20261125-173012-1.png');
    assert.equal(imageFileName('A cute baby sea otter', date, 'png', 2), 'a-cute-baby-sea-otter-20261125-173012-2.png');
  });

  it('accepts an extension with a dot or in upper case', () => {
    assert.equal(imageFileName('otter', date, '.JPEG'), 'otter-20261125-173012.jpeg');
    assert.equal(imageFileName('🦦', date, 'webp'), 'image-20261125-173012.webp');
  });

  it('rejects a bad extension or index', () => {
    assert.throws(() => imageFileName('otter', date, ''), RangeError);
    assert.throws(() => imageFileName('otter', date, 'png/../x'), RangeError);
    assert.throws(() => imageFileName('otter', date, 'png', 0), RangeError);
    assert.throws(() => imageFileName('otter', date, 'png', 1.5), RangeError);
  });
});

describe('uniqueFileName', () => {
  const taken = (...names: string[]) => {
    const set = new Set(names);
    const asked: string[] = [];
    return { asked, exists: async (c: string) => (asked.push(c), set.has(c)) };
  };

  it('returns the name itself when free', async () => {
    const t = taken();
    assert.equal(await uniqueFileName('image.png', t.exists), 'image.png');
    assert.deepEqual(t.asked, ['image.png']);
  });

  it('numbers like VS Code: image-1.png, image-2.png...', async () => {
    const t = taken('image.png', 'image-1.png');
    assert.equal(await uniqueFileName('image.png', t.exists), 'image-2.png');
    assert.deepEqual(t.asked, ['image.png', 'image-1.png', 'image-2.png']);
  });

  it('numbers only the last segment, before the last extension', async () => {
    assert.equal(await uniqueFileName('a.b/photo.tar.gz', taken('a.b/photo.tar.gz').exists), 'a.b/photo.tar-1.gz');
    assert.equal(await uniqueFileName('imgs/noext', taken('imgs/noext').exists), 'imgs/noext-1');
    assert.equal(await uniqueFileName('.hidden', taken('.hidden').exists), '.hidden-1');
  });

  it('throws after maxTries', async () => {
    await assert.rejects(
      uniqueFileName('x.png', async () => true, 5),
      /after 5 attempts/,
    );
  });
});
