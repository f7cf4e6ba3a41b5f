// One HTTP exchange through axios with the body read under a size cap, the deadline and the cancel,
// and every failure turned into an ImageApiError that says whether the request may have reached the server.
import type { AxiosInstance, AxiosRequestConfig } from 'axios';
import http, { type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import { finished, type Readable } from 'node:stream';
import { isLoopbackHost } from './baseUrl';
import type { Deadline } from './deadline';
import { abortError, ImageApiError } from './errors';
import { message, type Peer } from './messages';
import { isBeforeSendFailure } from './retry';

export interface RawResponse {
  status: number;
  /** Lower-case names, first value only. */
  headers: Record<string, string>;
  body: Buffer;
  /** Bytes read from the wire, when a sink made `body` something else. */
  received?: number;
}

/** Takes a body as it arrives; `end` gives what RawResponse.body should hold. */
export interface BodySink {
  write(chunk: Buffer): void;
  end(): Buffer;
}

/** A byte cap shared by several bodies (every image of one answer). */
export class ByteBudget {
  private used = 0;
  constructor(readonly limit: number) {}
  /** Counts `bytes`; false once the total is over the limit. */
  take(bytes: number): boolean {
    this.used += bytes;
    return this.used <= this.limit;
  }
}

export interface SendOptions {
  deadline: Deadline;
  maxBytes: number;
  budget?: ByteBudget;
  /** Names the far side in messages, e.g. "the gateway" or "the image server". */
  peer: Peer;
  /** A sink for the body of an answer with this status and headers (lower-case names), instead of keeping it whole. */
  sinkFor?: (status: number, headers: Record<string, string>) => BodySink | undefined;
  /** Called once the request has been flushed to the socket: from then on the server may be working. */
  onSent?: () => void;
}

/**
 * Node's own transport, plus a hook on the request's 'finish'. Cheaper than axios' upload
 * progress, which turns the body into a stream piped through a transform (about 0.5 ms a call).
 */
function notifyingTransport(onSent: () => void) {
  return {
    request(options: RequestOptions, callback: (res: IncomingMessage) => void) {
      const req = (options.protocol === 'https:' ? https : http).request(options, callback);
      req.once('finish', onSent);
      return req;
    },
  };
}

class BodyTooLarge extends Error {
  constructor(readonly shared = false) {
    super('body too large');
  }
}

export async function send(http: AxiosInstance, config: AxiosRequestConfig, o: SendOptions): Promise<RawResponse> {
  let response;
  try {
    response = await http.request<Readable>({
      ...config,
      responseType: 'stream',
      validateStatus: () => true,
      // Redirects are not followed blindly: the key must not travel to another host.
      maxRedirects: 0,
      signal: o.deadline.signal,
      // An HTTP(S)_PROXY from the environment must not capture loopback traffic (the sandbox).
      ...(isLoopbackHost(new URL(String(config.url)).hostname) ? { proxy: false } : {}),
      ...(o.onSent ? { transport: notifyingTransport(o.onSent) } : {}),
    });
  } catch (err) {
    throw transportError(err, false, o);
  }
  const headers = flattenHeaders(response.headers as Record<string, unknown>);
  try {
    const announced = Number(headers['content-length']);
    if (announced > o.maxBytes) throw new BodyTooLarge();
    const sink = o.sinkFor?.(response.status, headers);
    const read = await readCapped(response.data, o, sink ?? collect(announced));
    return { status: response.status, headers, body: read.body, ...(sink ? { received: read.received } : {}) };
  } catch (err) {
    response.data.destroy();
    // The status line and headers did arrive: the log and the error keep them, for the provider's support.
    throw transportError(err, true, o, { status: response.status, requestId: requestIdOf(headers) });
  }
}

async function readCapped(stream: Readable, o: SendOptions, sink: BodySink): Promise<{ body: Buffer; received: number }> {
  const { maxBytes, budget } = o;
  const signal = o.deadline.signal;
  const onAbort = () => stream.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    let received = 0;
    // 'data' events keep the stream flowing; an async iterator pauses it between chunks (about 15% slower on a 4K image).
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) return void stream.destroy(new BodyTooLarge());
        if (budget && !budget.take(chunk.length)) return void stream.destroy(new BodyTooLarge(true));
        try {
          sink.write(chunk);
        } catch (err) {
          stream.destroy(err as Error);
        }
      });
      finished(stream, (err) => (err ? reject(err) : resolve()));
    });
    return { body: sink.end(), received };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Keeps the body whole. With a Content-Length it is copied into one buffer of that size, so a
 * large image is never held twice (chunks, then their concatenation).
 */
function collect(announced: number): BodySink {
  let whole = Number.isSafeInteger(announced) && announced > 0 ? Buffer.allocUnsafe(announced) : undefined;
  let filled = 0;
  const chunks: Buffer[] = [];
  return {
    write(chunk) {
      // A decompressed body may outgrow the announced length: then fall back to a list.
      if (whole && filled + chunk.length > whole.length) {
        chunks.push(whole.subarray(0, filled));
        whole = undefined;
      }
      if (whole) filled += chunk.copy(whole, filled);
      else chunks.push(chunk);
    },
    end: () => (whole ? whole.subarray(0, filled) : Buffer.concat(chunks)),
  };
}

function flattenHeaders(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = String(Array.isArray(value) ? value[0] : value);
  }
  return out;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'openai-request-id', 'x-oneapi-request-id', 'x-trace-id', 'cf-ray'];

/** The gateway's id for this request, under whichever header it uses. */
export function requestIdOf(headers: Record<string, string>): string | undefined {
  return REQUEST_ID_HEADERS.map((h) => headers[h]).find((v) => v);
}

function transportError(
  err: unknown,
  receiving: boolean,
  o: SendOptions,
  answer: { status?: number; requestId?: string } = {},
): ImageApiError {
  const cause = o.deadline.cause();
  if (cause) return abortError(cause, o.peer, o.deadline.timeoutMs);
  // A sink's own verdict on the body (too many images, an error event in a stream) is the error to report.
  if (err instanceof ImageApiError) {
    err.requestId ??= answer.requestId;
    return err;
  }
  if (err instanceof BodyTooLarge && err.shared && o.budget) {
    return new ImageApiError({
      kind: 'tooLarge',
      detail: message('imagesTooLargeTogether', { peer: o.peer, mb: Math.round(o.budget.limit / 1e6) }),
    });
  }
  if (err instanceof BodyTooLarge) {
    return new ImageApiError({ kind: 'tooLarge', detail: message('answerTooLarge', { peer: o.peer, mb: Math.round(o.maxBytes / 1e6) }) });
  }
  const code = (err as { code?: string }).code;
  const reason = code && code !== 'ERR_BAD_RESPONSE' ? code : oneLineMessage(err);
  if (!receiving && /^(CERT_|ERR_TLS|ERR_SSL|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code ?? '')) {
    return new ImageApiError({ kind: 'network', detail: message('tlsRefused', { peer: o.peer, reason }) });
  }
  if (!receiving && isBeforeSendFailure(code)) {
    return new ImageApiError({ kind: 'network', retriable: true, detail: message('cannotConnect', { peer: o.peer, reason }) });
  }
  return new ImageApiError({ kind: 'network', ...answer, detail: message('connectionBroke', { peer: o.peer, receiving, reason }) });
}

function oneLineMessage(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .split('\n')[0]
    .slice(0, 120);
}
