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

/** A JPEG's marker segment: FF, marker, a big-endian length that counts itself, the payload. */
const segment = (marker: number, payload: number[]) => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
/** A start-of-frame segment: precision, height, width, then three components. */
const frame = (marker: number, width: number, height: number) =>
  segment(marker, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
const jpeg = (...parts: number[][]) => Buffer.from([0xff, 0xd8, ...parts.flat()]);
const app0 = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0]);

test('JPEG: every start-of-frame marker gives the size; DHT, JPG and DAC, which share the range, do not', () => {
  for (const marker of [0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]) {
    assert.deepEqual(sniffImage(jpeg(app0, frame(marker, 300, 200))), { format: 'jpeg', width: 300, height: 200 }, marker.toString(16));
  }
  for (const marker of [0xc4, 0xc8, 0xcc]) {
    // Shaped like a frame header with another size: skipped as an ordinary segment, the real frame follows.
    assert.deepEqual(
      sniffImage(jpeg(frame(marker, 7, 7), frame(0xc0, 64, 48))),
      { format: 'jpeg', width: 64, height: 48 },
      marker.toString(16),
    );
  }
});

test('JPEG: fill bytes and markers without a length are stepped over; scan data, the end or a bad length before the frame are not images', () => {
  const ok = { format: 'jpeg', width: 64, height: 48 };
  assert.deepEqual(sniffImage(jpeg([0xff, 0xff], frame(0xc0, 64, 48))), ok, 'a fill byte');
  for (const standalone of [0xd0, 0xd7, 0x01, 0xd8]) {
    assert.deepEqual(sniffImage(jpeg([0xff, standalone], frame(0xc0, 64, 48))), ok, standalone.toString(16));
  }
  assert.equal(sniffImage(jpeg(segment(0xda, [1, 2]), frame(0xc0, 64, 48))), undefined, 'scan data before any frame');
  assert.equal(sniffImage(jpeg([0xff, 0xd9], frame(0xc0, 64, 48))), undefined, 'end of image before any frame');
  assert.equal(sniffImage(jpeg([0xff, 0xe1, 0, 1], frame(0xc0, 64, 48))), undefined, 'a length below 2');
  assert.equal(sniffImage(jpeg(app0, [0x00, ...frame(0xc0, 64, 48).slice(1)])), undefined, 'a frame without its FF is no marker');
  assert.deepEqual(sniffImage(jpeg(segment(0xe1, []), frame(0xc0, 64, 48))), ok, 'an empty segment (length 2)');
  assert.equal(sniffImage(jpeg(frame(0xc0, 64, 48)).subarray(0, 10)), undefined, 'a frame header cut short');
  assert.deepEqual(sniffImage(jpeg(frame(0xc0, 64, 48)).subarray(0, 11)), ok, 'just long enough');
  for (const at of [0, 1, 2]) {
    const broken = jpeg(app0, frame(0xc0, 64, 48));
    broken[at] = 0x00;
    assert.equal(sniffImage(broken), undefined, `no start-of-image marker: byte ${at}`);
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
