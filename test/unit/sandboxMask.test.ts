// The sandbox counts a mask's transparent pixels, so UI tests can tell a painted area from an empty or full mask.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { editImages } from '../../src/core/edits';
import type { EditSummary } from '../../tools/sandbox/edits';
import { renderImage } from '../../tools/sandbox/render';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { nodeNetwork } from '../../src/core/transport.node';

const NETWORK = nodeNetwork();

const KEY = 'sandbox-key-mask-7a21';
let sb: Sandbox;

before(async () => {
  sb = await startSandbox({ key: KEY });
});
after(() => sb.close());

/** Opaque black with a fully transparent w/2 x h/2 hole and a half-transparent top row (which is not "transparent"). */
function mask(width: number, height: number): Promise<Buffer> {
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const hole = x >= width / 4 && x < (3 * width) / 4 && y >= height / 4 && y < (3 * height) / 4;
      rgba[(y * width + x) * 4 + 3] = hole ? 0 : y === 0 ? 128 : 255;
    }
  }
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

test('a mask part records how many of its pixels are fully transparent', async () => {
  const photo = await renderImage({
    prompt: 'ref',
    width: 320,
    height: 240,
    format: 'png',
    model: 'gpt-image-2-origin',
    index: 0,
    total: 1,
  });
  await editImages(
    {
      model: 'gpt-image-2-origin',
      prompt: 'Make the sky purple',
      size: '1024x1024',
      images: [{ name: 'photo.png', bytes: photo }],
      mask: { name: 'mask.png', bytes: await mask(320, 240) },
    },
    { baseUrl: sb.baseUrl, apiKey: KEY, network: NETWORK, timeoutMs: 10_000 },
  );
  const summary = sb.requests.find((r) => r.path.startsWith('/v1/images/edits'))?.json as EditSummary;
  const file = summary.files.find((f) => f.field === 'mask');
  assert.ok(file, 'no mask part');
  assert.deepEqual(
    { transparent: file.transparent, transparentPixels: file.transparentPixels, totalPixels: file.totalPixels },
    { transparent: true, transparentPixels: 160 * 120, totalPixels: 320 * 240 },
  );
  const image = summary.files.find((f) => f.field === 'image');
  assert.equal(image?.transparentPixels, undefined, 'only masks are counted');
});
