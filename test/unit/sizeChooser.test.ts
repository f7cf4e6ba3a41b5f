import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getModel } from '../../src/core/catalog';
import { groupSizes, landscapeRatio, locateSize, resolveSelection } from '../../src/core/sizeChooser';

const origin = groupSizes(getModel('gpt-image-2-origin').sizes);

describe('groupSizes', () => {
  it('groups the provider table tier → ratio → orientation → sizes, every size once', () => {
    assert.deepEqual(
      origin.map((t) => t.tier),
      ['1K', '2K', '4K'],
    );
    const twoK = origin.find((t) => t.tier === '2K')!;
    const wide = twoK.ratios.find((r) => r.ratio === '16:9')!;
    assert.deepEqual(
      wide.orientations.map((o) => [o.orientation, o.sizes.map((s) => s.size)]),
      [
        ['landscape', ['1920x1080', '2048x1152', '2560x1440']],
        ['portrait', ['1080x1920', '1152x2048', '1440x2560']],
      ],
    );
    const count = origin.flatMap((t) => t.ratios.flatMap((r) => r.orientations.flatMap((o) => o.sizes))).length;
    assert.equal(count, getModel('gpt-image-2-origin').sizes.length);
  });

  it('orders ratios from square to widest and squares have one orientation', () => {
    const oneK = origin.find((t) => t.tier === '1K')!;
    assert.deepEqual(
      oneK.ratios.map((r) => r.ratio),
      ['1:1', '5:4', '4:3', '3:2', '16:9', '2:1', '21:9'],
    );
    assert.deepEqual(
      oneK.ratios[0]!.orientations.map((o) => o.orientation),
      ['square'],
    );
  });

  it("puts sizes outside the billing tables under 'other'", () => {
    const dalle = groupSizes(getModel('dall-e-3').sizes);
    assert.deepEqual(
      dalle.map((t) => t.tier),
      ['other'],
    );
    assert.deepEqual(groupSizes([]), []);
  });

  it('names a ratio by its wide side', () => {
    assert.equal(landscapeRatio('9:16'), '16:9');
    assert.equal(landscapeRatio('16:9'), '16:9');
    assert.equal(landscapeRatio('1:1'), '1:1');
  });
});

describe('resolveSelection', () => {
  it('locates a known size', () => {
    assert.deepEqual(locateSize(origin, '1152x2048'), { tier: '2K', ratio: '16:9', orientation: 'portrait', size: '1152x2048' });
    assert.equal(locateSize(origin, '1000x1000'), undefined);
    assert.deepEqual(resolveSelection(origin, {}, { size: '3840x2160' }), {
      tier: '4K',
      ratio: '16:9',
      orientation: 'landscape',
      size: '3840x2160',
    });
  });

  it('a size sent with a tier, ratio or orientation is looked for under them, not wherever it is', () => {
    for (const level of [{ tier: '2K' }, { ratio: '1:1' }, { orientation: 'portrait' }] as const) {
      const got = resolveSelection(origin, {}, { size: '3840x2160', ...level });
      assert.notEqual(got?.size, '3840x2160', JSON.stringify(level));
      if (!('orientation' in level)) assert.deepEqual({ ...got, ...level }, got, JSON.stringify(level));
    }
  });

  it('keeps ratio and orientation when the tier changes, and takes the smallest size there', () => {
    const from = locateSize(origin, '864x1536')!;
    assert.deepEqual(resolveSelection(origin, from, { tier: '2K' }), {
      tier: '2K',
      ratio: '16:9',
      orientation: 'portrait',
      size: '1080x1920',
    });
    assert.deepEqual(resolveSelection(origin, from, { tier: '4K' }), {
      tier: '4K',
      ratio: '16:9',
      orientation: 'portrait',
      size: '2160x3840',
    });
  });

  it('falls back level by level when the new parent lacks the old choice', () => {
    const square = locateSize(origin, '1024x1024')!;
    // 1:1 has no portrait, so the square orientation stays.
    assert.deepEqual(resolveSelection(origin, square, { orientation: 'portrait' }), square);
    const fiveFour = locateSize(origin, '1024x1280')!;
    // 4K has no 5:4 row: the first 4K ratio is taken.
    assert.deepEqual(resolveSelection(origin, fiveFour, { tier: '4K' }), {
      tier: '4K',
      ratio: '1:1',
      orientation: 'square',
      size: '2048x2048',
    });
    assert.deepEqual(resolveSelection(origin, { tier: '8K' as never }), {
      tier: '1K',
      ratio: '1:1',
      orientation: 'square',
      size: '1024x1024',
    });
  });

  it('is undefined for a model with no sizes', () => {
    assert.equal(resolveSelection(groupSizes(getModel('gpt-image-2-auto').sizes), {}), undefined);
  });
});
