// The images API's answers, validated leniently: unknown fields are ignored, `usage` never fails a generation.
import * as z from 'zod/v4-mini';
import { allocBytes, base64Into, concatBytes, copyBytes, EMPTY, fromBase64, fromLatin1, latin1, toBase64, utf8 } from './bytes';
import { firstTextLine, invalidResponse, type ImageApiError } from './errors';
import { message, type Message } from './messages';

/** Token usage as OpenAI reports it; passed on as the server sent it. */
export interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  [key: string]: unknown;
}

// zod's mini build, as elsewhere in the core: one copy of zod in the bundle.
const imageItem = z
  .object({
    b64_json: z.nullish(z.string()),
    url: z.nullish(z.string()),
    revised_prompt: z.catch(z.nullish(z.string()), undefined),
  })
  .check(z.refine((item) => !!item.b64_json || !!item.url, 'an image has neither b64_json nor url'));

const imagesAnswer = z.object({
  created: z.catch(z.optional(z.number()), undefined),
  data: z.array(imageItem, { error: 'no "data" list' }).check(z.minLength(1, 'the "data" list is empty')),
  usage: z.catch(z.optional(z.record(z.string(), z.unknown())), undefined),
});

export type ImageItem = z.infer<typeof imageItem>;
export type ImagesAnswer = { created?: number; data: ImageItem[]; usage?: Usage };

const modelList = z.object({
  data: z.array(z.unknown(), { error: 'no "data" list' }),
});

/** `shown` is what an error quotes: the body as received, when `body` is a reader's rewrite of it. */
function parseJson(body: Uint8Array, shown = body): unknown {
  const text = utf8(body);
  try {
    return JSON.parse(text);
  } catch {
    const line = firstTextLine(utf8(shown));
    throw invalidResponse(message('notJson', line ? { line: line.slice(0, 80) } : {}));
  }
}

/** What is wrong with the answer, in the validator's own words (they name its JSON fields). */
function describeIssue(error: { issues: readonly { message: string; path: PropertyKey[] }[] }): Message {
  const issue = error.issues[0];
  const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
  return message('validatorSaid', { issue: `${issue.message}${where}` });
}

/** The refusal of an answer holding more images than the `n` asked for; `count` undefined when reading stopped early. */
export function tooManyImages(count: number | undefined, asked: number): ImageApiError {
  return invalidResponse(message('tooManyImages', { count, asked }), message('reportToOperator', {}));
}

export function parseImagesAnswer(body: Uint8Array, received?: Uint8Array): ImagesAnswer {
  const parsed = imagesAnswer.safeParse(parseJson(body, received));
  if (!parsed.success) throw invalidResponse(describeIssue(parsed.error));
  return parsed.data as ImagesAnswer;
}

/** Model ids from GET /models, sorted; entries without a string id are skipped. */
export function parseModelList(body: Uint8Array): string[] {
  const parsed = modelList.safeParse(parseJson(body));
  if (!parsed.success) throw invalidResponse(describeIssue(parsed.error));
  const ids = parsed.data.data
    .map((m) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string' && id.length > 0);
  return [...new Set(ids)].sort();
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const KEY = 'b64_json';
const HEAD_BYTES = 4096;

/**
 * Reads an images answer as it arrives, decoding every "b64_json" string straight into image bytes,
 * so neither the body nor the base64 text (a third larger than the images) is ever held whole.
 * `end()` gives the rest of the JSON with a placeholder per decoded image, for parseImagesAnswer;
 * `take()` turns a placeholder back into bytes. A value with anything unusual (escapes, a data:
 * prefix, bad characters, a cut) is passed through as text, so the usual checks judge it.
 */
export class ImagesAnswerReader {
  private readonly out: Uint8Array[] = [];
  private readonly images = new Map<string, Uint8Array>();
  private readonly tag = `\0${Math.random().toString(36).slice(2)}:`;
  /** The first bytes as received, for error messages. */
  head: Uint8Array = EMPTY;
  /** Outside values: in a string, after a backslash in one, the last string if it may be a key, and whether ':' followed it. */
  private inString = false;
  private escaped = false;
  private text: number[] | undefined;
  private lastString = '';
  private sawColon = false;
  /** In a b64_json value: the bytes decoded so far and up to 3 characters not yet decoded. */
  private decoding = false;
  private bytes = new DecodedBytes();
  private carry = '';
  private started = false;
  private count = 0;
  /**
   * `maxImages`: the answer is refused as soon as one more image starts (n asked for), undecoded.
   * `sizeHint`: the likely size of an image (an earlier one of the same answer or stream), so its
   * bytes are decoded straight into one buffer instead of pieces joined at the end.
   */
  constructor(
    private readonly maxImages = Infinity,
    private sizeHint = 0,
  ) {}

  /** The size of the last image decoded, as a hint for the next one. */
  get lastImageBytes(): number {
    return this.sizeHint;
  }

  write(chunk: Uint8Array): void {
    if (this.head.length < HEAD_BYTES) this.head = concatBytes([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    let from = 0;
    while (from < chunk.length) from = this.decoding ? this.decode(chunk, from) : this.scan(chunk, from);
  }

  end(): Uint8Array {
    if (this.decoding) this.giveUp();
    return concatBytes(this.out);
  }

  /** The bytes a placeholder stands for (once), or undefined for any other string. */
  take(value: string): Uint8Array | undefined {
    const bytes = this.images.get(value);
    this.images.delete(value);
    return bytes;
  }

  /** Copies JSON through until a b64_json value opens; returns where it stopped. */
  private scan(chunk: Uint8Array, from: number): number {
    for (let i = from; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          this.lastString = this.text ? String.fromCharCode(...this.text) : '';
          this.text = undefined;
          this.sawColon = false;
          continue;
        }
        // Only strings as short as the key are remembered: the key is all that is looked for.
        if (this.text && this.text.push(c) > KEY.length) this.text = undefined;
      } else if (c === QUOTE) {
        if (this.sawColon && this.lastString === KEY && this.count >= this.maxImages) throw tooManyImages(undefined, this.maxImages);
        if (this.sawColon && this.lastString === KEY) {
          this.out.push(chunk.subarray(from, i));
          this.decoding = true;
          this.started = false;
          this.bytes = new DecodedBytes(this.sizeHint);
          this.carry = '';
          return i + 1;
        }
        this.inString = true;
        this.text = [];
      } else if (c === 0x3a) this.sawColon = true;
      else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) this.lastString = '';
    }
    this.out.push(chunk.subarray(from));
    return chunk.length;
  }

  /** Decodes base64 up to the closing quote or the chunk's end; returns where it stopped. */
  private decode(chunk: Uint8Array, from: number): number {
    const quote = chunk.indexOf(QUOTE, from);
    const end = quote < 0 ? chunk.length : quote;
    const last = quote >= 0;
    // Image data never starts with "d"; a data: URL prefix is left to decodeBase64.
    const odd = (!this.started && chunk[from] === 0x64) || chunk.subarray(from, end).indexOf(BACKSLASH) >= 0;
    this.started ||= end > from;
    let text = this.carry + latin1(chunk, from, end);
    const whole = last ? text.length : text.length - (text.length % 4);
    const part = text.slice(0, whole);
    const expected = odd ? undefined : base64Length(part, last);
    if (expected === undefined || !this.bytes.add(part, expected) || (last && this.bytes.length === 0)) {
      this.giveUp();
      return from; // the same bytes again, as an ordinary string
    }
    text = text.slice(whole);
    this.carry = text;
    if (!last) return chunk.length;
    const id = `${this.tag}${this.count++}`;
    const image = this.bytes.take();
    this.sizeHint = image.length;
    this.images.set(id, image);
    this.out.push(fromLatin1(JSON.stringify(id)));
    this.decoding = false;
    this.lastString = '';
    return quote + 1;
  }

  /** Passes the value on as text: what was decoded so far, re-encoded (full groups encode back exactly), and the rest. */
  private giveUp(): void {
    this.out.push(fromLatin1(`"${toBase64(this.bytes.take())}${this.carry}`));
    this.decoding = false;
    this.inString = true;
    this.escaped = false;
    this.text = undefined;
  }
}

/**
 * The bytes standard base64 `part` decodes to, or undefined when its padding or alphabet is wrong.
 * Node's decoder skips junk silently, so DecodedBytes checks what it decoded against this count.
 * `last` allows padding.
 */
function base64Length(part: string, last: boolean): number | undefined {
  const firstPad = part.indexOf('=');
  const chars = firstPad < 0 ? part.length : firstPad;
  if (firstPad >= 0 && (!last || part.length - chars > 2 || part.length % 4 !== 0 || !/^=+$/.test(part.slice(chars)))) return undefined;
  if (chars % 4 === 1 || part.includes('-') || part.includes('_')) return undefined;
  return Math.floor((chars * 3) / 4);
}

/** Slack over the hint, so an image a little larger than the last still fits its buffer. */
const HINT_SLACK = 1.05;

/**
 * One image's bytes as they are decoded. With a size hint they go straight into one buffer of about
 * that size (no second copy when the image ends); without one, or once the image outgrows it, into
 * pieces joined at the end.
 */
class DecodedBytes {
  private pieces: Uint8Array[] = [];
  private target: Uint8Array | undefined;
  private filled = 0;
  length = 0;

  constructor(hint = 0) {
    if (hint > 0) this.target = allocBytes(Math.ceil(hint * HINT_SLACK) + 4);
  }

  /** Decodes `part`; false, with nothing kept, when it does not decode to exactly `expected` bytes. */
  add(part: string, expected: number): boolean {
    if (this.target && this.filled + expected > this.target.length) {
      // Outgrown: what the buffer holds becomes the first piece.
      this.pieces.push(this.target.subarray(0, this.filled));
      this.target = undefined;
    }
    let written: number;
    if (this.target) {
      written = base64Into(this.target, this.filled, part);
      if (written === expected) this.filled += written;
    } else {
      const piece = fromBase64(part);
      written = piece.length;
      if (written === expected) this.pieces.push(piece);
    }
    if (written !== expected) return false;
    this.length += written;
    return true;
  }

  /** The bytes, once; a buffer much larger than its image is copied, so it holds no slack. */
  take(): Uint8Array {
    const { target, filled } = this;
    this.target = undefined;
    if (target && this.pieces.length === 0) {
      return filled * HINT_SLACK * HINT_SLACK < target.length ? copyBytes(target.subarray(0, filled)) : target.subarray(0, filled);
    }
    const pieces = this.pieces;
    this.pieces = [];
    return pieces.length === 1 ? pieces[0]! : concatBytes(pieces);
  }
}
