// Streamed answers (stream: true) as server-sent events: for each image its partial previews, then
// its completed event. One image is rendered and one event encoded at a time, so a 4K stream holds
// one final picture and one preview in memory, and every write waits for the socket to drain.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { imageOutputTokens, PARTIAL_IMAGE_TOKENS, type ImageFormat } from '../../src/core/catalog';
import type { StreamFault } from './faults';
import { base64Of, delayOrClosed, encodeJson, writePieces } from './json';

export interface StreamPlan {
  /** The event prefix: image_generation or image_edit. */
  kind: 'image_generation' | 'image_edit';
  /** How many pictures. */
  count: number;
  /** Partial images before each picture's completed event (0-3). */
  partials: number;
  /** Echoed in every event. */
  meta: { size: string; quality: string; background: string; output_format: ImageFormat };
  /** The final picture `index`. */
  render(index: number): Promise<Buffer>;
  /** Preview `index` of `count` for a final picture. */
  partial(final: Buffer, index: number, count: number): Promise<Buffer>;
  usage: Record<string, unknown>;
  /** Pause between events, read before each one so the control API can change it mid-stream. */
  delayMs(): number;
  headers: Record<string, string>;
  fault?: StreamFault;
}

const KEEP_ALIVE = Buffer.from(': keep-alive\n\n');
/** Chunk sizes for streamChunkedCrlf: odd, small ones first so the framing lands on many boundaries. */
const CHUNKS = [1, 3, 5, 7, 11, 13, 17, 31, 61, 127, 251, 509, 1021, 2039];

type Writer = (res: ServerResponse, pieces: readonly Buffer[]) => Promise<boolean>;

function event(name: string, body: unknown): Buffer[] {
  return [Buffer.from(`event: ${name}\ndata: `), ...encodeJson(body), Buffer.from('\n\n')];
}

/** The same bytes with CRLF line endings, in odd-sized writes; each write is its own turn of the event loop. */
async function writeChunkedCrlf(res: ServerResponse, pieces: readonly Buffer[]): Promise<boolean> {
  // Only the framing has line breaks (JSON text has none), so the image pieces pass unchanged.
  const text = Buffer.concat(pieces.map((p) => (p.includes(10) ? Buffer.from(p.toString('latin1').replace(/\n/g, '\r\n'), 'latin1') : p)));
  for (let at = 0, i = 0; at < text.length; i++) {
    let end = Math.min(text.length, at + CHUNKS[i % CHUNKS.length]);
    const cr = text.indexOf(13, at);
    if (cr >= 0 && cr < end) end = cr + 1; // a CR and its LF arrive apart
    if (!(await writePieces(res, [text.subarray(at, end)]))) return false;
    at = end;
    await new Promise((r) => setImmediate(r));
  }
  return !res.destroyed;
}

/** `: keep-alive` every `everyMs` until the client hangs up; the timer goes with the connection. */
function keepAliveOnly(res: ServerResponse, everyMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!res.writableNeedDrain) res.write(KEEP_ALIVE);
    }, everyMs);
    res.once('close', () => {
      clearInterval(timer);
      resolve();
    });
  });
}

/**
 * Token counts for `images` pictures of one prompt as OpenAI reports them: an edit's reference images count as
 * image input tokens, each picture the output tokens of OpenAI's table for its quality and size (272 where the
 * table has none) and 100 more per partial image.
 */
export function usageOf(
  prompt: string,
  images: number,
  opts: { imageTokens?: number; size?: string; quality?: string; partials?: number } = {},
) {
  const text = Math.ceil(prompt.length / 4);
  const imageTokens = opts.imageTokens ?? 0;
  const perImage = (imageOutputTokens(opts.size ?? '', streamedQuality(opts.quality)) ?? 272) + (opts.partials ?? 0) * PARTIAL_IMAGE_TOKENS;
  return {
    input_tokens: text + imageTokens,
    input_tokens_details: { text_tokens: text, image_tokens: imageTokens },
    output_tokens: images * perImage,
    total_tokens: text + imageTokens + images * perImage,
  };
}

/** The quality a streamed event reports: the one asked, or what `auto` picks. */
export function streamedQuality(quality: string | undefined): string {
  return quality && quality !== 'auto' ? quality : 'medium';
}

export async function sendStream(req: IncomingMessage, res: ServerResponse, plan: StreamPlan): Promise<void> {
  const { fault, kind } = plan;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...plan.headers });
  res.flushHeaders();
  if (fault?.type === 'streamKeepAliveOnly') return keepAliveOnly(res, fault.everyMs ?? 5);
  const write: Writer = fault?.type === 'streamChunkedCrlf' ? writeChunkedCrlf : writePieces;
  let sent = 0;
  /** The pause and keep-alive line before an event; false once the client is gone. */
  const next = async () => {
    if (sent++ > 0) await delayOrClosed(res, plan.delayMs());
    return write(res, [KEEP_ALIVE]);
  };
  const created_at = Math.floor(Date.now() / 1000);
  for (let image = 0; image < plan.count; image++) {
    const final = await plan.render(image);
    // The broken-stream faults send one preview of the first picture whatever was asked.
    const broken = fault?.type === 'streamCut' || fault?.type === 'streamError';
    const partials = fault?.type === 'streamCompletedOnly' ? 0 : broken ? 1 : plan.partials;
    for (let index = 0; index < partials; index++) {
      if (!(await next())) return;
      const bytes = await plan.partial(final, index, partials);
      const body = { type: `${kind}.partial_image`, b64_json: base64Of(bytes), created_at, ...plan.meta, partial_image_index: index };
      if (fault?.type === 'streamCut') {
        // Destroyed only once the event has left, so the client sees the preview and then the cut.
        await new Promise<void>((resolve) => res.write(Buffer.concat(event(body.type, body)), () => resolve()));
        return void req.socket.destroy();
      }
      if (!(await write(res, event(body.type, body)))) return;
      if (fault?.type === 'streamError') {
        const error = { message: fault.message ?? 'The image stream failed.', type: 'server_error', code: fault.code ?? 'stream_error' };
        await write(res, event('error', { type: 'error', error }));
        return void res.end();
      }
    }
    if (!(await next())) return;
    const body = { type: `${kind}.completed`, b64_json: base64Of(final), created_at, ...plan.meta, usage: plan.usage };
    if (!(await write(res, event(body.type, body)))) return;
  }
  res.end();
}
