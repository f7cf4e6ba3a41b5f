import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { decodeBase64, extensionFor, sniffImage } from '../../src/core/images';

function make(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: '#3366aa' } });
}

test('PNG, JPEG and WebP (lossy and lossless) are recognised with their dimensions', async () => {
  const cases: [string, Promise<Buffer>, string, number, number][] = [
    ['png', make(301, 17).png().toBuffer(), 'png', 301, 17],
    ['jpeg', make(640, 480).jpeg().toBuffer(), 'jpeg', 640, 480],
    ['progressive jpeg', make(33, 4000).jpeg({ progressive: true }).toBuffer(), 'jpeg', 33, 4000],
    ['webp lossy', make(1536, 1024).webp().toBuffer(), 'webp', 1536, 1024],
    ['webp lossless', make(777, 333).webp({ lossless: true }).toBuffer(), 'webp', 777, 333],
    [
      'webp with alpha (VP8X)',
      sharp({ create: { width: 200, height: 100, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } } })
        .webp()
        .toBuffer(),
      'webp',
      200,
      100,
    ],
    ['jpeg with EXIF before the frame', make(120, 90).withMetadata({ orientation: 1 }).jpeg().toBuffer(), 'jpeg', 120, 90],
  ];
  for (const [name, bytes, format, width, height] of cases) {
    assert.deepEqual(sniffImage(await bytes), { format, width, height }, name);
  }
});

test('garbage, text and truncated headers are not images', async () => {
  const png = await make(10, 10).png().toBuffer();
  const jpeg = await make(10, 10).jpeg().toBuffer();
  for (const bytes of [
    Buffer.alloc(0),
    Buffer.from('<html><body>Bad Gateway</body></html>'),
    Buffer.from('{"error":"nope"}'),
    png.subarray(0, 20),
    jpeg.subarray(0, 3),
    Buffer.from('RIFF\0\0\0\0WAVEfmt '),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.alloc(32)]),
  ]) {
    assert.equal(sniffImage(bytes), undefined, bytes.toString('latin1').slice(0, 20));
  }
});

test('an image of zero width or zero height is not an image', async () => {
  const png = await make(3, 2).png().toBuffer();
  const withHeader = (offset: number, value: number) => {
    const copy = Buffer.from(png);
    copy.writeUInt32BE(value, offset);
    return copy;
  };
  // IHDR: width at byte 16, height at byte 20.
  assert.equal(sniffImage(withHeader(16, 0)), undefined, 'zero width');
  assert.equal(sniffImage(withHeader(20, 0)), undefined, 'zero height');
  assert.deepEqual(sniffImage(withHeader(16, 1)), { format: 'png', width: 1, height: 2 }, 'one pixel wide is fine');
});

test('a lossy WebP with a broken key-frame start code is not an image', async () => {
  const webp = await make(40, 30).webp().toBuffer();
  assert.equal(webp.toString('latin1', 12, 16), 'VP8 ');
  assert.deepEqual(sniffImage(webp), { format: 'webp', width: 40, height: 30 });
  // The start code 9d 01 2a sits at bytes 23..25; any one byte wrong is enough.
  for (const at of [23, 24, 25]) {
    const broken = Buffer.from(webp);
    broken[at] ^= 0xff;
    assert.equal(sniffImage(broken), undefined, `byte ${at}`);
  }
});

test('extensionFor maps jpeg to jpg', () => {
  assert.deepEqual((['png', 'jpeg', 'webp'] as const).map(extensionFor), ['png', 'jpg', 'webp']);
});

test('decodeBase64 is strict but tolerates wrapping, padding-less input and a data URL prefix', () => {
  const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253]);
  const b64 = bytes.toString('base64');
  assert.deepEqual(decodeBase64(b64), bytes);
  assert.deepEqual(decodeBase64(`${b64.slice(0, 4)}\n${b64.slice(4)}`), bytes);
  assert.deepEqual(decodeBase64(b64.replace(/=+$/, '')), bytes);
  assert.deepEqual(decodeBase64(`data:image/png;base64,${b64}`), bytes);
  for (const junk of ['', 'not base64!', 'abc$def', 'AAAAA', 'AA=A', 'QUJD-_', 'http://x/y.png']) {
    assert.equal(decodeBase64(junk), undefined, junk);
  }
});
