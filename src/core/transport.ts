// The contract every HTTP transport keeps (Node's in transport.node.ts, the browser's in
// transport.fetch.ts): one exchange with the body read under a size cap, the deadline and the cancel,
// and every failure turned into an ImageApiError that says whether the request may have reached the server.
import { concatBytes, allocBytes } from './bytes';
import type { Resolver } from './addressGuard';
import type { Deadline } from './deadline';
import { abortError, ImageApiError } from './errors';
import { message, type Peer } from './messages';
import { isBeforeSendFailure } from './retry';

export interface RawResponse {
  status: number;
  /** Lower-case names, first value only. */
  headers: Record<string, string>;
  body: Uint8Array;
  /** Bytes read from the wire, when a sink made `body` something else. */
  received?: number;
  /** Where the body came from, when the transport followed redirects itself (a browser's fetch). */
  url?: string;
}

/** Takes a body as it arrives; `end` gives what RawResponse.body should hold. */
export interface BodySink {
  write(chunk: Uint8Array): void;
  end(): Uint8Array;
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

/** One request. The body is JSON text or a multipart form; redirects are never followed (see download.ts). */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | FormData;
  /** Resolves and checks the host name where the platform lets us (addressGuard); absent otherwise. */
  lookup?: Lookup;
}

export type Lookup = (host: string) => Promise<{ address: string; family: 4 | 6 }[]>;

export type Transport = (request: HttpRequest, o: SendOptions) => Promise<RawResponse>;

/** The network as a host gives it: Node's sockets or the browser's fetch. */
export interface Network {
  /** Requests to the gateway, which carry the key. */
  api: Transport;
  /** Image downloads: a client of their own that never carries the key. */
  images: Transport;
  /**
   * How image-URL host names are resolved before their addresses are checked. Absent where no
   * resolver exists (a browser): then only address literals are checked, and the browser's own
   * rules for private addresses apply to names.
   */
  resolver?: Resolver;
}

export class BodyTooLarge extends Error {
  constructor(readonly shared = false) {
    super('body too large');
  }
}

/**
 * Counts a body's chunks against the caps and feeds them to the sink: `write` throws BodyTooLarge
 * past a cap, or whatever the sink throws; `end` gives the body.
 */
export function cappedBody(o: SendOptions, sink: BodySink) {
  let received = 0;
  return {
    write(chunk: Uint8Array): void {
      received += chunk.length;
      if (received > o.maxBytes) throw new BodyTooLarge();
      if (o.budget && !o.budget.take(chunk.length)) throw new BodyTooLarge(true);
      sink.write(chunk);
    },
    end: () => ({ body: sink.end(), received }),
  };
}

/** Refuses a body whose announced length is over the cap before reading it. */
export function checkAnnounced(headers: Record<string, string>, o: SendOptions): number {
  const announced = Number(headers['content-length']);
  if (announced > o.maxBytes) throw new BodyTooLarge();
  return announced;
}

/**
 * Keeps the body whole. With a Content-Length it is copied into one buffer of that size, so a
 * large image is never held twice (chunks, then their concatenation).
 */
export function collect(announced: number): BodySink {
  let whole = Number.isSafeInteger(announced) && announced > 0 ? allocBytes(announced) : undefined;
  let filled = 0;
  const chunks: Uint8Array[] = [];
  return {
    write(chunk) {
      // A decompressed body may outgrow the announced length: then fall back to a list.
      if (whole && filled + chunk.length > whole.length) {
        chunks.push(whole.subarray(0, filled));
        whole = undefined;
      }
      if (whole) {
        whole.set(chunk, filled);
        filled += chunk.length;
      } else chunks.push(chunk);
    },
    end: () => (whole ? whole.subarray(0, filled) : concatBytes(chunks)),
  };
}

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'openai-request-id', 'x-oneapi-request-id', 'x-trace-id', 'cf-ray'];

/** The gateway's id for this request, under whichever header it uses. */
export function requestIdOf(headers: Record<string, string>): string | undefined {
  return REQUEST_ID_HEADERS.map((h) => headers[h]).find((v) => v);
}

export function transportError(
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
