// Reads a streamed images answer (Server-Sent Events: partial images, then each final image) as it
// arrives. Each event's data goes through an ImagesAnswerReader, so a 40 MB final image is decoded
// chunk by chunk as in the ordinary answer, never held as text. Partial images are handed on at once
// and not kept. `end()` gives the same JSON an ordinary answer would, with placeholders for the final
// images, so the client checks and uses both kinds of answer alike.
import * as z from 'zod/v4-mini';
import { firstTextLine, ImageApiError, invalidResponse, isSafetyRefusal, parseServerError } from './errors';
import { redact } from './redact';
import { decodeBase64, sniffImage, type SniffedImage } from './images';
import { concatBytes, EMPTY, fromUtf8, utf8 } from './bytes';
import { message, type Message } from './messages';
import { ImagesAnswerReader, tooManyImages } from './response';

/** A preview of one of the n images, decoded and checked, as the gateway sent it. */
export interface PartialImage extends SniffedImage {
  bytes: Uint8Array;
  /** The gateway's own 0-based number for this partial image. */
  partialIndex: number;
  /** Which of the n images it previews, 0-based: partial images after a final one belong to the next. */
  image: number;
  /** Partial images asked for in all (partial_images for each of the n), when the caller knows. */
  expected?: number;
}

/** Where the stream had got to, for messages about a stream that stopped. */
export interface StreamStage {
  previews: number;
  images: number;
  asked: number;
}

const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
const SPACE = 0x20;
/** Field names are short ("data", "event", "id", "retry"); a longer one is some other field, ignored. */
const FIELD_MAX = 8;
const HEAD_BYTES = 4096;
/** Real events carry their JSON on one line, or a few when pretty-printed; each line costs a few objects until the event ends. */
const MAX_DATA_LINES = 10_000;
const BOM = [0xef, 0xbb, 0xbf];
const LINE_FEED = new Uint8Array([LF]);

export interface StreamLimits {
  /** Final images the request asked for (n): one more is refused. */
  images: number;
  /** Partial images asked for per image; any beyond are dropped unseen. */
  partials: number;
  /** Bytes of one event's data: a final image in base64 and its JSON. */
  eventBytes: number;
  /** Bytes of all final images together. */
  imageBytes: number;
  /** Texts (the key) to take out of any server text before it is cut short for a message. */
  secrets: readonly string[];
}

// Lenient: an unknown field or a missing one never fails an event; its type and image decide.
const loose = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);
const streamEvent = z.object({
  type: loose(z.string()),
  b64_json: loose(z.string()),
  url: loose(z.string()),
  revised_prompt: loose(z.string()),
  partial_image_index: loose(z.int().check(z.nonnegative())),
  created_at: loose(z.number()),
  created: loose(z.number()),
  usage: loose(z.record(z.string(), z.unknown())),
});

type Field = 'data' | 'event' | 'other';

export class ImageStreamReader {
  /** The first bytes as received, for error messages. */
  head: Uint8Array = EMPTY;
  private previews = 0;
  private readonly finals: { b64_json: string; revised_prompt?: string }[] = [];
  private readonly images = new Map<string, Uint8Array>();
  private readonly tag = `\0${Math.random().toString(36).slice(2)}:`;
  private created: number | undefined;
  private usage: Record<string, unknown> | undefined;
  // The line being read: its field name so far, or the field its value belongs to.
  private name: number[] = [];
  private field: Field | undefined;
  private skipSpace = false;
  private afterCR = false;
  // The event being read.
  private eventName: number[] = [];
  private data: ImagesAnswerReader | undefined;
  private dataLines = 0;
  private dataBytes = 0;
  private partialsOfImage = 0;
  private imageBytes = 0;
  private started = false;
  /** The size of the last image decoded (a preview or a final one): the next is likely about as large. */
  private lastImageBytes = 0;
  private readonly limits: StreamLimits;

  constructor(
    limits: Partial<StreamLimits> & Pick<StreamLimits, 'images'>,
    private readonly onPartial?: (image: PartialImage) => void,
  ) {
    this.limits = { partials: 3, eventBytes: Infinity, imageBytes: Infinity, secrets: [], ...limits };
  }

  stage(): StreamStage {
    return { previews: this.previews, images: this.finals.length, asked: this.limits.images };
  }

  write(chunk: Uint8Array): void {
    if (this.head.length < HEAD_BYTES) this.head = concatBytes([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    let i = 0;
    if (!this.started) {
      // A byte order mark before the first field is not part of it (whole in the first chunk, as any real one is).
      this.started = true;
      if (BOM.every((b, k) => chunk[k] === b)) i = BOM.length;
    }
    while (i < chunk.length) {
      if (this.afterCR) {
        this.afterCR = false;
        if (chunk[i] === LF) {
          i++;
          continue;
        }
      }
      i = this.field ? this.value(chunk, i) : this.fieldName(chunk, i);
    }
  }

  /** Reads a field name up to its colon, or a whole line without one; returns where it stopped. */
  private fieldName(chunk: Uint8Array, from: number): number {
    for (let i = from; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === COLON) {
        // An empty name is a comment (": keep-alive"): its value is skipped like an unknown field's.
        this.field = this.fieldOf(this.name);
        this.skipSpace = true;
        this.name = [];
        if (this.field === 'data') this.startData();
        // The last `event:` line of an event names it.
        if (this.field === 'event') this.eventName = [];
        return i + 1;
      }
      if (c === LF || c === CR) {
        this.afterCR = c === CR;
        const name = this.name;
        this.name = [];
        if (name.length === 0) this.dispatch();
        else if (this.fieldOf(name) === 'data') this.startData(); // "data" alone: an empty data line
        return i + 1;
      }
      if (this.name.length <= FIELD_MAX) this.name.push(c);
    }
    return chunk.length;
  }

  private fieldOf(name: number[]): Field {
    const text = name.length <= FIELD_MAX ? String.fromCharCode(...name) : '';
    return text === 'data' ? 'data' : text === 'event' ? 'event' : 'other';
  }

  /** Hands a field's value on up to the line's end or the chunk's; returns where it stopped. */
  private value(chunk: Uint8Array, from: number): number {
    const lf = chunk.indexOf(LF, from);
    const cr = chunk.indexOf(CR, from);
    const end = lf < 0 ? (cr < 0 ? chunk.length : cr) : cr < 0 ? lf : Math.min(lf, cr);
    let start = from;
    if (this.skipSpace && start < end) {
      if (chunk[start] === SPACE) start++;
      this.skipSpace = false;
    }
    if (start < end) {
      if (this.field === 'data') this.feed(chunk.subarray(start, end));
      else if (this.field === 'event' && this.eventName.length < 64)
        this.eventName.push(...chunk.subarray(start, Math.min(end, start + 64)));
    }
    if (end === chunk.length) return end;
    this.afterCR = chunk[end] === CR;
    this.field = undefined;
    this.skipSpace = false;
    return end + 1;
  }

  private startData(): void {
    this.data ??= new ImagesAnswerReader(Infinity, this.lastImageBytes);
    if (++this.dataLines > MAX_DATA_LINES) throw this.unusable(message('streamEventTooLarge', {}));
    // Lines of one event's data join with a line feed.
    if (this.dataLines > 1) this.feed(LINE_FEED);
  }

  private feed(bytes: Uint8Array): void {
    this.dataBytes += bytes.length;
    if (this.dataBytes > this.limits.eventBytes) throw this.unusable(message('streamEventTooLarge', {}));
    this.data!.write(bytes);
  }

  private unusable(what: Message): ImageApiError {
    return invalidResponse(what, message('streamRemedy', {}));
  }

  /** A blank line ends an event. */
  private dispatch(): void {
    const data = this.data;
    const name = String.fromCharCode(...this.eventName);
    this.data = undefined;
    this.dataLines = 0;
    this.dataBytes = 0;
    this.eventName = [];
    if (!data) return;
    const text = utf8(data.end());
    this.lastImageBytes = data.lastImageBytes;
    // An event with empty data is dropped, as the standard says; some gateways end a stream the way chat completions do.
    if (text.trim() === '' || text.trim() === '[DONE]') return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (name === 'error') throw this.failure(JSON.stringify({ error: { message: text } }));
      throw this.unusable(message('streamEventNotJson', { line: this.shorten(text, 80) }));
    }
    const parsed = streamEvent.safeParse(json);
    if (!parsed.success) return; // not an object: nothing this reader knows
    const event = parsed.data;
    const type = event.type ?? name;
    if (type === 'error' || name === 'error' || type.endsWith('.failed')) throw this.failure(text);
    if (type.endsWith('.partial_image')) this.partial(event, data);
    else if (type.endsWith('.completed')) this.completed(event, data);
  }

  /** Server text for a message: the key taken out first, then cut to one short line. */
  private shorten(text: string, max: number): string {
    return firstTextLine(redact(text, this.limits.secrets)).slice(0, max);
  }

  private partial(event: z.infer<typeof streamEvent>, data: ImagesAnswerReader): void {
    // Previews beyond those asked for are dropped unseen: a gateway cannot flood the view.
    if (!event.b64_json || this.finals.length >= this.limits.images || this.partialsOfImage >= this.limits.partials) return;
    const bytes = data.take(event.b64_json) ?? decodeBase64(event.b64_json);
    const sniffed = bytes && sniffImage(bytes);
    // A preview that is not an image is only a preview: the final image is what gets checked.
    if (!bytes || !sniffed) return;
    this.previews++;
    this.partialsOfImage++;
    const partialIndex = event.partial_image_index ?? this.previews - 1;
    this.onPartial?.({ bytes, ...sniffed, partialIndex, image: this.finals.length });
  }

  private completed(event: z.infer<typeof streamEvent>, data: ImagesAnswerReader): void {
    if (this.finals.length >= this.limits.images) throw tooManyImages(undefined, this.limits.images);
    this.partialsOfImage = 0;
    this.created ??= event.created_at ?? event.created;
    if (event.usage) this.usage = mergeUsage(this.usage, event.usage);
    const value = event.b64_json ?? event.url;
    if (!value) throw invalidResponse(message('validatorSaid', { issue: `event ${event.type ?? 'completed'} has no b64_json` }));
    const bytes = event.b64_json ? data.take(event.b64_json) : undefined;
    const id = `${this.tag}${this.finals.length}`;
    if (bytes) {
      this.imageBytes += bytes.length;
      if (this.imageBytes > this.limits.imageBytes) {
        throw new ImageApiError({
          kind: 'tooLarge',
          detail: message('imagesTooLargeTogether', { mb: Math.round(this.limits.imageBytes / 1e6) }),
        });
      }
      this.images.set(id, bytes);
    }
    this.finals.push({
      // An unusual value stays as sent, for the client's own checks to judge.
      ...(event.b64_json ? { b64_json: bytes ? id : event.b64_json } : { url: event.url! }),
      ...(event.revised_prompt ? { revised_prompt: event.revised_prompt } : {}),
    } as { b64_json: string });
  }

  private failure(text: string): ImageApiError {
    const said = parseServerError(text) ?? {};
    const clean = (v: string | undefined, max = 200) => (v === undefined ? undefined : this.shorten(v, max));
    const server = clean(said.message);
    const serverMessage = clean(said.message, 500);
    const code = clean(said.code ?? said.type, 80);
    if (isSafetyRefusal(said.code, said.type)) {
      return new ImageApiError({ kind: 'badRequest', code, serverMessage, detail: message('safetyRefused', { code: code!, server }) });
    }
    // Never retried: the stream had started, so the images may be billed.
    return new ImageApiError({
      kind: 'server',
      code,
      serverMessage,
      detail: message('streamFailed', { http: code ?? 'error', ...(server ? { server } : {}), ...this.stage() }),
    });
  }

  /** The answer as an ordinary images answer; a stream with no final image is an error naming how far it got. */
  end(): Uint8Array {
    // A last event without its blank line is used when it is whole, and dropped (as the standard says) when it is not.
    if (this.data) {
      try {
        this.dispatch();
      } catch (err) {
        if (!(err instanceof ImageApiError) || err.kind !== 'invalidResponse') throw err;
      }
    }
    if (this.finals.length === 0) throw invalidResponse(message('streamEnded', this.stage()), message('streamRemedy', {}));
    return fromUtf8(
      JSON.stringify({
        ...(this.created === undefined ? {} : { created: this.created }),
        data: this.finals,
        ...(this.usage ? { usage: this.usage } : {}),
      }),
    );
  }

  /** The bytes a placeholder stands for (once), or undefined for any other string. */
  take(value: string): Uint8Array | undefined {
    const bytes = this.images.get(value);
    this.images.delete(value);
    return bytes;
  }
}

/** Usage of several final images: counts added, the details' counts too (input text and image tokens), the rest as the last event said. */
function mergeUsage(into: Record<string, unknown> | undefined, next: Record<string, unknown>, depth = 0): Record<string, unknown> {
  if (!into) return next;
  const out: Record<string, unknown> = { ...next };
  for (const [k, v] of Object.entries(into)) {
    const w = next[k];
    if (typeof v === 'number' && typeof w === 'number') out[k] = v + w;
    else if (depth === 0 && isRecord(v) && isRecord(w)) out[k] = mergeUsage(v, w, 1);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when a Content-Type names an event stream. */
export function isEventStream(contentType: string | undefined): boolean {
  return /^\s*text\/event-stream\b/i.test(contentType ?? '');
}
