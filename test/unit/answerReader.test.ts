import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImageApiError } from '../../src/core/errors';
import { decodeBase64 } from '../../src/core/images';
import { ImagesAnswerReader, parseImagesAnswer, type ImagesAnswer } from '../../src/core/response';

/** mulberry32: the same bodies and splits on every run, so a failure can be replayed by its seed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

function randomBytes(r: Rand, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = int(r, 256);
  return b;
}

/** A b64_json value as JSON source text: mostly clean, sometimes with what the reader must pass through. */
function b64Value(r: Rand): string {
  let s = randomBytes(r, int(r, 200)).toString('base64');
  const at = () => int(r, s.length + 1);
  const insert = (piece: string) => {
    const i = at();
    s = s.slice(0, i) + piece + s.slice(i);
  };
  switch (int(r, 12)) {
    case 0:
      s = s.replaceAll('/', '\\/'); // an escaped solidus, as some JSON encoders write it
      break;
    case 1:
      insert('\\n'); // a line break, escaped
      break;
    case 2:
      s = `data:image/png;base64,${s}`;
      break;
    case 3:
      insert(pick(r, ['*', '-', '_', ' ', '!', 'é', '\\u0041']));
      break;
    case 4:
      insert('='); // padding in the middle
      break;
    case 5:
      s = s.replace(/=+$/, ''); // unpadded
      break;
    case 6:
      s = '';
      break;
    case 7:
      s = s.slice(0, Math.max(0, s.length - 1 - int(r, 3))); // a length no base64 has
      break;
  }
  return `"${s}"`;
}

function item(r: Rand): string {
  const fields: string[] = [];
  const kind = int(r, 10);
  if (kind < 7) fields.push(`"b64_json"${pick(r, [':', ' : ', ':\n  '])}${b64Value(r)}`);
  else if (kind < 9) fields.push(`"url":"https://img.example/${int(r, 1000)}.png?sig=b64_json"`);
  if (r() < 0.5) fields.push(`"revised_prompt":${JSON.stringify(pick(r, ['b64_json', 'a "quoted" \\ otter', 'été 🦦', '']))}`);
  if (r() < 0.2) fields.push(`"b64_json_note":"AAAA"`);
  if (r() < 0.5) fields.reverse();
  return `{${fields.join(',')}}`;
}

function body(r: Rand): Buffer {
  const items = Array.from({ length: int(r, 4) }, () => item(r));
  const parts = [`"data":[${items.join(',')}]`];
  if (r() < 0.5) parts.unshift(`"created":${int(r, 2e9)}`);
  if (r() < 0.4) parts.push(`"usage":{"total_tokens":${int(r, 5000)},"note":{"b64_json":"QUJD"}}`);
  let text = `{${parts.join(r() < 0.3 ? ',\n ' : ',')}}`;
  if (r() < 0.1) text = pick(r, ['', 'Bad Gateway', '<html>oops</html>', '{"data":']);
  const bytes = Buffer.from(text);
  // A connection that breaks mid-answer.
  return r() < 0.15 ? bytes.subarray(0, int(r, bytes.length)) : bytes;
}

function chunksOf(r: Rand, b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const max = pick(r, [1, 3, 16, 64, 4096]);
  for (let i = 0; i < b.length;) {
    const n = 1 + int(r, max);
    out.push(b.subarray(i, i + n));
    i += n;
  }
  return out;
}

type Outcome = { error: string } | { created?: number; images: (string | null)[] };

/**
 * What the client makes of an answer: each image's bytes (or its URL), or the error it reports.
 * `usage` is left out: a "b64_json" key nested in it is decoded too, and comes back as a placeholder.
 */
const hex = (b: Uint8Array | undefined) => b && Buffer.from(b).toString('hex');

function outcome(answer: () => ImagesAnswer, bytesOf: (b64: string) => Uint8Array | undefined): Outcome {
  let parsed: ImagesAnswer;
  try {
    parsed = answer();
  } catch (err) {
    assert.ok(err instanceof ImageApiError, String(err));
    return { error: err.userMessage };
  }
  return {
    created: parsed.created,
    images: parsed.data.map((d) => (d.b64_json ? (hex(bytesOf(d.b64_json)) ?? null) : `url ${d.url}`)),
  };
}

test('the streaming reader yields exactly what parsing the whole body yields, however it is split and whatever size it expects', () => {
  for (let seed = 1; seed <= 400; seed++) {
    const r = prng(seed);
    const whole = body(r);
    const expected = outcome(() => parseImagesAnswer(whole), decodeBase64);
    for (let split = 0; split < 4; split++) {
      // A size hint decodes into one buffer (exact, too small and outgrown, or far too large and copied); none, into pieces.
      const reader = new ImagesAnswerReader(Infinity, pick(r, [0, 1, 60, 150, 5000]));
      for (const chunk of chunksOf(r, whole)) reader.write(chunk);
      const actual = outcome(
        () => parseImagesAnswer(reader.end(), reader.head),
        (b64) => reader.take(b64) ?? decodeBase64(b64),
      );
      assert.deepEqual(actual, expected, `seed ${seed}, split ${split}: ${whole.toString('utf8').slice(0, 200)}`);
    }
  }
});

test('clean images are decoded while streaming, not handed back as text', () => {
  const image = randomBytes(prng(7), 3000);
  const whole = Buffer.from(JSON.stringify({ data: [{ b64_json: image.toString('base64') }] }));
  const reader = new ImagesAnswerReader();
  for (const chunk of chunksOf(prng(8), whole)) reader.write(chunk);
  const rest = reader.end();
  assert.ok(rest.length < 100, `the rewritten body kept the base64: ${rest.length} bytes`);
  const [only] = parseImagesAnswer(rest, reader.head).data;
  assert.deepEqual(reader.take(only!.b64_json!), image);
  assert.equal(reader.take(only!.b64_json!), undefined, 'a placeholder gives its bytes once');
});

test('with a size hint, an image is decoded into one buffer of about its size, which it does not share', () => {
  const image = randomBytes(prng(9), 30_000);
  const whole = Buffer.from(JSON.stringify({ data: [{ b64_json: image.toString('base64') }] }));
  for (const hint of [30_000, 29_000, 10_000, 200_000]) {
    const reader = new ImagesAnswerReader(Infinity, hint);
    for (const chunk of chunksOf(prng(hint), whole)) reader.write(chunk);
    const [only] = parseImagesAnswer(reader.end(), reader.head).data;
    const bytes = reader.take(only!.b64_json!)!;
    assert.deepEqual(bytes, image, `hint ${hint}`);
    assert.ok(
      bytes.buffer.byteLength <= image.length * 1.11 + 8,
      `hint ${hint}: a ${bytes.buffer.byteLength}-byte buffer for ${image.length} bytes`,
    );
    assert.equal(reader.lastImageBytes, image.length);
  }
});

test('a pretty-printed answer (spaces, tabs and line breaks around the colon) is decoded while streaming too', () => {
  const image = randomBytes(prng(11), 3000);
  for (const ws of [' ', '\n', '\r\n', '\t']) {
    const whole = Buffer.from(`{${ws}"data":${ws}[{${ws}"b64_json"${ws}:${ws}"${image.toString('base64')}"${ws}}]}`);
    const reader = new ImagesAnswerReader();
    reader.write(whole);
    const rest = reader.end();
    assert.ok(rest.length < 100, `${JSON.stringify(ws)}: the rewritten body kept the base64 (${rest.length} bytes)`);
    assert.deepEqual(reader.take(parseImagesAnswer(rest, reader.head).data[0]!.b64_json!), image, JSON.stringify(ws));
  }
});

test('a data: URL whose chunk starts right after the opening quote is left whole for decodeBase64', () => {
  const image = randomBytes(prng(12), 300);
  const open = '{"data":[{"b64_json":"';
  const whole = Buffer.from(`${open}data:image/png;base64,${image.toString('base64')}"}]}`);
  const reader = new ImagesAnswerReader();
  reader.write(whole.subarray(0, open.length));
  reader.write(whole.subarray(open.length));
  const [only] = parseImagesAnswer(reader.end(), reader.head).data;
  assert.deepEqual(reader.take(only!.b64_json!) ?? decodeBase64(only!.b64_json!), image);
});

test('badly padded base64 is refused the same way split anywhere as whole', () => {
  for (const value of ['QQ===', 'QUJD=', 'QUJDRA=', 'QQ=A', 'QQ==QUJD', 'QUI=', 'QQ==']) {
    const whole = Buffer.from(`{"data":[{"b64_json":"${value}"}]}`);
    const expected = outcome(() => parseImagesAnswer(whole), decodeBase64);
    for (let at = 0; at <= whole.length; at++) {
      const reader = new ImagesAnswerReader();
      reader.write(whole.subarray(0, at));
      reader.write(whole.subarray(at));
      const actual = outcome(
        () => parseImagesAnswer(reader.end(), reader.head),
        (b64) => reader.take(b64) ?? decodeBase64(b64),
      );
      assert.deepEqual(actual, expected, `${value} split at ${at}`);
    }
  }
});
