// One HTTP exchange through axios with the body read under a size cap, the deadline and the cancel,
// and every failure turned into an ImageApiError that says whether the request may have reached the server.
import type { AxiosInstance, AxiosRequestConfig } from 'axios';
import type { Readable } from 'node:stream';
import { isLoopbackHost } from './baseUrl';
import type { Deadline } from './deadline';
import { abortError, ImageApiError } from './errors';
import { isBeforeSendFailure } from './retry';

export interface RawResponse {
  status: number;
  /** Lower-case names, first value only. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface SendOptions {
  deadline: Deadline;
  maxBytes: number;
  /** Names the far side in messages, e.g. "the gateway" or "the image server". */
  peer: string;
}

class BodyTooLarge extends Error {}

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
    });
  } catch (err) {
    throw transportError(err, false, o);
  }
  const headers = flattenHeaders(response.headers as Record<string, unknown>);
  try {
    const announced = Number(headers['content-length']);
    if (announced > o.maxBytes) throw new BodyTooLarge();
    return { status: response.status, headers, body: await readCapped(response.data, o.maxBytes, o.deadline.signal) };
  } catch (err) {
    response.data.destroy();
    throw transportError(err, true, o);
  }
}

async function readCapped(stream: Readable, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const onAbort = () => stream.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) throw new BodyTooLarge();
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function flattenHeaders(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = String(Array.isArray(value) ? value[0] : value);
  }
  return out;
}

function transportError(err: unknown, receiving: boolean, o: SendOptions): ImageApiError {
  const cause = o.deadline.cause();
  if (cause) return abortError(cause, o.peer, o.deadline.timeoutMs);
  if (err instanceof BodyTooLarge) {
    return new ImageApiError({
      kind: 'tooLarge',
      userMessage: `The answer from ${o.peer} is larger than the ${Math.round(o.maxBytes / 1e6)} MB limit; it was not read.`,
    });
  }
  const code = (err as { code?: string }).code;
  const reason = code && code !== 'ERR_BAD_RESPONSE' ? code : oneLineMessage(err);
  if (!receiving && /^(CERT_|ERR_TLS|ERR_SSL|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code ?? '')) {
    return new ImageApiError({
      kind: 'network',
      userMessage: `The TLS certificate of ${o.peer} was not accepted (${reason}). Check the base URL's host name.`,
    });
  }
  if (!receiving && isBeforeSendFailure(code)) {
    return new ImageApiError({
      kind: 'network',
      retriable: true,
      userMessage: `Could not connect to ${o.peer} (${reason}). Check the base URL and your network.`,
    });
  }
  return new ImageApiError({
    kind: 'network',
    userMessage: `The connection to ${o.peer} broke ${receiving ? 'while reading the answer' : 'after sending the request'} (${reason}); not retried, since the image may already be billed. Try again.`,
  });
}

function oneLineMessage(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0].slice(0, 120);
}
