// The web extension host has no Buffer. The recipe code is loaded afresh here with the global deleted
// (so a Buffer in a module-level constant fails too, not only one in a function), embeds and reads back
// in PNG, JPEG and WebP, and writes the very bytes it writes in Node.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import type { Recipe } from '../../src/core/recipe';
import * as inNode from '../../src/core/xmpPacket';

const RECIPE: Recipe = {
  prompt: 'A lighthouse on a cliff at dawn, "quoted" & <tagged> 灯塔',
  revisedPrompt: 'A tall white lighthouse',
  model: 'gpt-image-2',
  size: '1024x768',
  quality: 'high',
  outputFormat: 'png',
  n: 1,
  time: '2026-01-02T03:04:05.000Z',
  generator: { name: 'gpt-image-studio', version: '0.1.0' },
};

const CORE = path.resolve(__dirname, '../../src/core') + path.sep;
const load = createRequire(__filename);

/** Runs `run` on src/core loaded while `globalThis.Buffer` is gone; the global and the module cache are put back after. */
function withoutBuffer<T>(run: (xmp: typeof inNode) => T): T {
  const saved = globalThis.Buffer;
  const forget = () => {
    for (const id of Object.keys(load.cache)) if (id.startsWith(CORE)) delete load.cache[id];
  };
  forget();
  delete (globalThis as { Buffer?: unknown }).Buffer;
  try {
    return run(load('../../src/core/xmpPacket') as typeof inNode);
  } finally {
    globalThis.Buffer = saved;
    forget();
  }
}

const picture = (channels: 3 | 4) => {
  const raw = new Uint8Array(32 * 24 * channels).map((_, i) => (i * 2654435761) >>> 24);
  return sharp(raw, { raw: { width: 32, height: 24, channels } });
};

const FORMATS: [string, () => Promise<Uint8Array>][] = [
  ['png', () => picture(3).png().toBuffer()],
  ['jpeg', () => picture(3).jpeg().toBuffer()],
  ['webp lossy (VP8)', () => picture(3).webp({ quality: 50 }).toBuffer()],
  ['webp lossless with alpha (VP8L)', () => picture(4).webp({ lossless: true }).toBuffer()],
];

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

for (const [name, make] of FORMATS) {
  test(`${name}: with no Buffer, the recipe goes in and comes back, byte for byte as in Node`, async () => {
    // A plain Uint8Array, as the web host's workspace.fs and fetch hand over.
    const original = new Uint8Array(await make());
    const node = inNode.embedRecipe(original, RECIPE);
    assert.ok(node.ok, 'embedded in Node');
    const nodeAgain = inNode.embedRecipe(node.bytes, { ...RECIPE, prompt: 'second' });
    assert.ok(nodeAgain.ok);

    const web = withoutBuffer((xmp) => {
      const first = xmp.embedRecipe(original, RECIPE);
      // A second embed replaces the packet (and, in a WebP, rewrites the VP8X chunk the first one added).
      const again = first.ok ? xmp.embedRecipe(first.bytes, { ...RECIPE, prompt: 'second' }) : first;
      return {
        first,
        again,
        read: first.ok ? xmp.readRecipe(first.bytes) : undefined,
        readAgain: again.ok ? xmp.readRecipe(again.bytes) : undefined,
        readNode: xmp.readRecipe(node.bytes),
      };
    });
    assert.ok(web.first.ok && web.again.ok, 'embedded with no Buffer');
    assert.equal(Object.getPrototypeOf(web.first.bytes), Uint8Array.prototype, 'a plain Uint8Array, no Buffer behind it');
    assert.deepEqual(web.read, RECIPE);
    assert.equal(web.readAgain?.prompt, 'second');
    assert.deepEqual(web.readNode, RECIPE, 'what Node wrote reads back there');
    assert.ok(same(web.first.bytes, node.bytes), 'the same bytes as in Node');
    assert.ok(same(web.again.bytes, nodeAgain.bytes), 'the same bytes as in Node, embedded twice');
  });
}

test('the module cache and the Buffer global are as they were afterwards', () => {
  const before = globalThis.Buffer;
  assert.throws(() => withoutBuffer(() => Buffer.from('x')), ReferenceError, 'the global really is gone inside');
  assert.equal(globalThis.Buffer, before);
  assert.ok(Buffer.isBuffer(Buffer.from('x')));
});
