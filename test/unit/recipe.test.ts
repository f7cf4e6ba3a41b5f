import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import sharp from 'sharp';
import { crc32, embedXmp, readXmp } from '../../src/core/imageXmp';
import { gatewayHost, parseRecipe, type Recipe } from '../../src/core/recipe';
import { embedRecipe, readRecipe, recipeFromXmp, recipeToXmp } from '../../src/core/xmpPacket';

const RECIPE: Recipe = {
  prompt: 'A lighthouse on a cliff at dawn, "quoted" & <tagged>',
  revisedPrompt: 'A tall white lighthouse',
  model: 'gpt-image-2',
  size: '1024x768',
  quality: 'high',
  outputFormat: 'png',
  background: 'transparent',
  n: 1,
  host: 'gateway.example',
  time: '2026-01-02T03:04:05.000Z',
  generator: { name: 'gpt-image-studio', version: '0.1.0' },
  edit: { sources: ['images/harbor.png'], mask: true },
};

/** The image with the recipe embedded, as a Buffer for the checks below to read; fails the test when it cannot be. */
function withRecipe(bytes: Uint8Array, recipe: Recipe): Buffer {
  const embedded = embedRecipe(bytes, recipe);
  assert.ok(embedded.ok, 'embedded');
  return Buffer.from(embedded.bytes.buffer, embedded.bytes.byteOffset, embedded.bytes.byteLength);
}

/** A noisy picture, so a lossy encoder has real work and any pixel change shows. */
function picture(width: number, height: number, channels: 3 | 4) {
  const raw = Buffer.alloc(width * height * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  return sharp(raw, { raw: { width, height, channels } });
}

const FORMATS: [string, () => Promise<Buffer>][] = [
  ['png', () => picture(64, 48, 3).png().toBuffer()],
  ['png with alpha', () => picture(64, 48, 4).png().toBuffer()],
  ['jpeg (JFIF)', () => picture(64, 48, 3).jpeg().toBuffer()],
  ['jpeg with Exif', () => picture(64, 48, 3).jpeg().withMetadata().toBuffer()],
  ['webp lossy (VP8)', () => picture(64, 48, 3).webp({ quality: 50 }).toBuffer()],
  ['webp lossless (VP8L)', () => picture(64, 48, 3).webp({ lossless: true }).toBuffer()],
  ['webp lossless with alpha (VP8L)', () => picture(64, 48, 4).webp({ lossless: true }).toBuffer()],
  ['webp extended with alpha (VP8X)', () => picture(64, 48, 4).webp({ quality: 50 }).toBuffer()],
];

const raw = (bytes: Buffer) => sharp(bytes).raw().toBuffer({ resolveWithObject: true });

/** The container's parts in order: PNG chunk types, JPEG segment markers, WebP chunk fourccs. */
function parts(bytes: Buffer): string[] {
  const out: string[] = [];
  if (bytes[0] === 0x89) {
    for (let i = 8; i < bytes.length;) {
      const len = bytes.readUInt32BE(i);
      out.push(
        bytes.toString('latin1', i + 4, i + 8) +
          ':' +
          bytes
            .subarray(i, i + 12 + len)
            .toString('hex')
            .slice(0, 60),
      );
      i += 12 + len;
    }
  } else if (bytes[0] === 0xff) {
    for (let i = 2; bytes[i + 1] !== 0xda;) {
      const len = bytes.readUInt16BE(i + 2);
      out.push(
        bytes
          .subarray(i, i + 2 + len)
          .toString('hex')
          .slice(0, 80),
      );
      i += 2 + len;
    }
  } else {
    for (let i = 12; i < bytes.length;) {
      const size = bytes.readUInt32LE(i + 4);
      out.push(bytes.toString('latin1', i, i + 4));
      i += 8 + size + (size % 2);
    }
  }
  return out;
}

for (const [name, make] of FORMATS) {
  test(`${name}: the recipe goes in and comes back, pixels and every original part kept`, async () => {
    const original = await make();
    const embedded = withRecipe(original, RECIPE);
    assert.deepEqual(readRecipe(embedded), RECIPE);
    const [a, b] = [await raw(original), await raw(embedded)];
    assert.deepEqual(b.info, a.info);
    assert.ok(a.data.equals(b.data), 'the pixels are byte-identical');
    const added = parts(embedded);
    for (const p of parts(original)) {
      if (p === 'VP8X') continue; // rewritten with the XMP flag, checked below
      assert.ok(added.includes(p), `${p} kept`);
    }
    assert.equal(added.length, parts(original).length + (name.includes('VP8)') || name.includes('(VP8L)') ? 2 : 1), 'one part added');
    if (embedded.toString('latin1', 0, 4) === 'RIFF') {
      assert.equal(embedded.readUInt32LE(4), embedded.length - 8, 'RIFF size');
      assert.equal(added[0], 'VP8X');
      assert.equal(embedded[20]! & 0x04, 0x04, 'XMP flag');
      const withAlpha = name.includes('alpha');
      assert.equal(embedded[20]! & 0x10, withAlpha ? 0x10 : 0, 'alpha flag');
      const meta = await sharp(embedded).metadata();
      assert.deepEqual([meta.width, meta.height], [64, 48], 'canvas size');
    }

    const again = withRecipe(embedded, { ...RECIPE, prompt: 'second' });
    assert.equal(readRecipe(again)?.prompt, 'second');
    assert.equal(parts(again).length, added.length, 'a second embed replaces, not duplicates');
  });
}

test('PNG: the iTXt chunk sits before IDAT, uncompressed, with the XMP keyword and a right CRC', async () => {
  const embedded = withRecipe(await picture(8, 8, 3).png().toBuffer(), RECIPE);
  const types = parts(embedded).map((p) => p.slice(0, 4));
  assert.ok(types.indexOf('iTXt') < types.indexOf('IDAT'));
  const at = embedded.indexOf('iTXt');
  assert.equal(embedded.toString('latin1', at + 4, at + 22), 'XML:com.adobe.xmp\0');
  assert.equal(embedded[at + 22], 0, 'not compressed');
  // sharp (libpng) refuses a chunk whose CRC is wrong
  await sharp(embedded).raw().toBuffer();
});

test('JPEG: the XMP APP1 follows SOI and APP0 (JFIF), before the other segments', async () => {
  const plain = await picture(8, 8, 3).jpeg().withMetadata().toBuffer();
  const app0 = Buffer.from('ffe000104a46494600010100000100010000', 'hex');
  const jfif = Buffer.concat([plain.subarray(0, 2), app0, plain.subarray(2)]);
  const segments = parts(withRecipe(jfif, RECIPE));
  assert.match(segments[0]!, /^ffe0/);
  assert.match(segments[1]!, /^ffe1....687474703a2f2f6e732e61646f62652e636f6d2f7861702f312e302f00/);
  assert.deepEqual(segments.slice(2), parts(jfif).slice(1), 'the rest in their order');
});

test('the packet shows the prompt as dc:description and the tool, in the namespace of the extension', () => {
  const packet = recipeToXmp(RECIPE);
  assert.match(
    packet,
    /<dc:description><rdf:Alt><rdf:li xml:lang="x-default">A lighthouse on a cliff at dawn, &quot;quoted&quot; &amp; &lt;tagged&gt;</,
  );
  assert.match(packet, /<xmp:CreatorTool>gpt-image-studio 0\.1\.0<\/xmp:CreatorTool>/);
  assert.match(packet, /xmlns:gptimage="urn:gpt-image-studio:recipe:1"/);
});

test('markup and control characters in a prompt stay text, and come back exactly', () => {
  const prompt = 'a</gptimage:Recipe><x>\u0000\u0007\u001b\u007f\u0085\ufffe\ud800 & ]]> \r\n end';
  const packet = recipeToXmp({ ...RECIPE, prompt });
  // eslint-disable-next-line no-control-regex -- finding them is the point
  assert.doesNotMatch(packet, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/, 'nothing XML cannot hold');
  assert.equal(packet.match(/<gptimage:Recipe>/g)?.length, 1);
  assert.equal(recipeFromXmp(packet)?.prompt, prompt);
});

test('a packet that is not one of ours, or tampered with, reads as undefined', () => {
  const packet = recipeToXmp(RECIPE);
  const cases: [string, string][] = [
    ['another namespace', packet.replace('urn:gpt-image-studio:recipe:1', 'urn:other')],
    [
      'two recipes',
      packet.replace('</rdf:Description>', `${packet.match(/<gptimage:Recipe>.*<\/gptimage:Recipe>/)![0]}</rdf:Description>`),
    ],
    ['an unknown entity', packet.replace('&quot;prompt', '&bogus;prompt')],
    ['a numeric reference', packet.replace('&quot;prompt', '&#34;prompt')],
    ['not JSON', packet.replace(/<gptimage:Recipe>.*<\/gptimage:Recipe>/, '<gptimage:Recipe>{nope</gptimage:Recipe>')],
    [
      'a wrong shape',
      packet.replace(/<gptimage:Recipe>.*<\/gptimage:Recipe>/, '<gptimage:Recipe>{&quot;prompt&quot;:1}</gptimage:Recipe>'),
    ],
    ['huge', packet + ' '.repeat(70_000)],
  ];
  for (const [name, p] of cases) assert.equal(recipeFromXmp(p), undefined, name);
  assert.ok(recipeFromXmp(packet));
});

test('recipe fields are capped and typed; unknown fields are dropped', () => {
  const json = (v: unknown) => JSON.stringify(v);
  assert.deepEqual(parseRecipe(json({ ...RECIPE, apiKey: 'sk-secret' })), RECIPE);
  assert.equal(parseRecipe(json({ ...RECIPE, prompt: 'x'.repeat(32_001) })), undefined);
  assert.equal(parseRecipe(json({ ...RECIPE, n: 11 })), undefined);
  assert.equal(parseRecipe(json({ ...RECIPE, edit: { sources: Array(17).fill('a.png'), mask: false } })), undefined);
  assert.equal(parseRecipe('null'), undefined);
});

test('the gateway is recorded by host name only: no key, credentials, port, path or query', () => {
  assert.equal(gatewayHost('https://user:sk-secret@gw.example:8443/v1?key=sk-secret#x'), 'gw.example');
  assert.equal(gatewayHost('not a url'), undefined);
});

test('a long recipe stores the prompt once, then leaves out the revised prompt; one too long for a packet is refused, not cut', async () => {
  const png = await picture(8, 8, 3).png().toBuffer();
  // 7,000 ampersands are 35,000 bytes escaped: once in a packet, not twice. dc:description goes, the recipe keeps the prompt.
  const long = { ...RECIPE, prompt: '&'.repeat(7_000), revisedPrompt: 'short' };
  const once = embedRecipe(png, long);
  assert.ok(once.ok);
  assert.deepEqual(once.omitted, ['description']);
  assert.deepEqual(readRecipe(once.bytes), long);
  assert.ok(!readXmp(once.bytes)!.includes('dc:description'));
  // A prompt and a revised prompt that fit only alone: the revised prompt is left out, and said so.
  const both = { ...RECIPE, prompt: '&'.repeat(7_000), revisedPrompt: '&'.repeat(7_000) };
  const without = embedRecipe(png, both);
  assert.ok(without.ok);
  assert.deepEqual(without.omitted, ['description', 'revisedPrompt']);
  const { revisedPrompt, ...rest } = both;
  assert.ok(revisedPrompt);
  assert.deepEqual(readRecipe(without.bytes), rest);
  // A short recipe loses nothing.
  const whole = embedRecipe(png, RECIPE);
  assert.ok(whole.ok && whole.omitted.length === 0 && readXmp(whole.bytes)!.includes('dc:description'));
  assert.deepEqual(embedRecipe(png, { ...RECIPE, prompt: '字'.repeat(30_000) }), { ok: false, reason: 'tooLong' });
  assert.deepEqual(embedRecipe(Buffer.from('not an image'), RECIPE), { ok: false, reason: 'unsupported' });
});

test('the CRC-32 PNG chunks carry is the standard one', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  const data = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24));
  // zlib.crc32 is in Node 20.15 and later; the check value above holds either way.
  const native = (zlib as { crc32?: (d: Uint8Array) => number }).crc32;
  if (native) assert.equal(crc32(data), native(data));
});

test('hostile files never throw: truncated, huge lengths, wrong CRC, not an image', async () => {
  const png = withRecipe(await picture(16, 16, 3).png().toBuffer(), RECIPE);
  const jpeg = withRecipe(await picture(16, 16, 3).jpeg().toBuffer(), RECIPE);
  const webp = withRecipe(await picture(16, 16, 3).webp().toBuffer(), RECIPE);
  const packet = Buffer.from('<x/>');
  const hostile: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['text', Buffer.from('hello')],
    ['png signature only', png.subarray(0, 8)],
    ['jpeg SOI only', jpeg.subarray(0, 4)],
    ['webp header only', webp.subarray(0, 12)],
  ];
  for (const [name, full] of [
    ['png', png],
    ['jpeg', jpeg],
    ['webp', webp],
  ] as const) {
    for (const cut of [9, 20, 40, 100, full.length >> 1, full.length - 1]) hostile.push([`${name} cut at ${cut}`, full.subarray(0, cut)]);
  }
  const huge = (buf: Buffer, at: number, write: (b: Buffer) => void) => {
    const b = Buffer.from(buf);
    write(b.subarray(at));
    return b;
  };
  hostile.push(['png huge chunk length', huge(png, 33, (b) => b.writeUInt32BE(0xfffffff0, 0))]);
  hostile.push(['jpeg zero segment length', huge(jpeg, 4, (b) => b.writeUInt16BE(1, 0))]);
  hostile.push(['webp huge RIFF size', huge(webp, 4, (b) => b.writeUInt32LE(0xfffffff0, 0))]);
  hostile.push(['webp huge chunk size', huge(webp, 16, (b) => b.writeUInt32LE(0xfffffff0, 0))]);
  for (const [name, bytes] of hostile) {
    assert.doesNotThrow(() => readRecipe(bytes), name);
    assert.doesNotThrow(() => embedXmp(bytes, packet), name);
    // A file cut after its headers still carries the whole recipe; one cut inside it carries none.
    const read = readRecipe(bytes);
    if (read !== undefined) assert.deepEqual(read, RECIPE, name);
  }
  for (const [name, bytes] of hostile) {
    if (bytes.length < 40 || name.includes('huge') || name.includes('zero')) assert.equal(readRecipe(bytes), undefined, name);
  }
  for (const [name, bytes] of hostile.slice(-4)) assert.equal(embedXmp(bytes, packet), undefined, `${name} is refused`);

  const wrongCrc = Buffer.from(png);
  const at = wrongCrc.indexOf('lighthouse', wrongCrc.indexOf('iTXt'));
  wrongCrc[at] = 'L'.charCodeAt(0); // still a well-formed packet, but its CRC no longer matches
  assert.equal(readXmp(wrongCrc), undefined, 'a chunk with a wrong CRC is not read');
});

test('exiftool, an independent reader, shows the prompt and model in all three formats', async () => {
  try {
    execFileSync('exiftool', ['-ver'], { stdio: 'ignore' });
  } catch {
    assert.fail('exiftool is missing. On Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y libimage-exiftool-perl');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recipe-'));
  try {
    for (const [ext, make] of [
      ['png', () => picture(16, 16, 3).png().toBuffer()],
      ['jpg', () => picture(16, 16, 3).jpeg().toBuffer()],
      ['webp', () => picture(16, 16, 3).webp().toBuffer()],
    ] as const) {
      const file = path.join(dir, `image.${ext}`);
      fs.writeFileSync(file, withRecipe(await make(), RECIPE));
      const [tags] = JSON.parse(execFileSync('exiftool', ['-j', '-XMP:all', file], { encoding: 'utf8' })) as Record<string, unknown>[];
      assert.equal(tags!.Description, RECIPE.prompt, ext);
      assert.equal(tags!.Model, RECIPE.model, ext);
      assert.equal(tags!.CreatorTool, 'gpt-image-studio 0.1.0', ext);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
