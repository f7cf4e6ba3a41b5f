// Node's network (the desktop and remote extension hosts): axios over node:http(s), DNS from the
// system for the image-address check. Only src/extension.ts (and tests, tools, the bench) import it.
import axios, { type AxiosInstance } from 'axios';
import dns from 'node:dns';
import http, { type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import { finished, type Readable } from 'node:stream';
import type { Resolver } from './addressGuard';
import { isLoopbackHost } from './baseUrl';
import {
  cappedBody,
  checkAnnounced,
  collect,
  requestIdOf,
  transportError,
  type Network,
  type RawResponse,
  type SendOptions,
  type Transport,
} from './transport';

export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Two axios instances: the downloader is separate, so the key can never ride along (not even via shared defaults). */
export function nodeNetwork(resolver: Resolver = systemResolver): Network {
  return { api: axiosTransport(axios.create()), images: axiosTransport(axios.create()), resolver };
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

export function axiosTransport(client: AxiosInstance): Transport {
  return (request, o) => send(client, request, o);
}

async function send(client: AxiosInstance, request: Parameters<Transport>[0], o: SendOptions): Promise<RawResponse> {
  const { lookup } = request;
  let response;
  try {
    response = await client.request<Readable>({
      method: request.method,
      url: request.url,
      data: request.body,
      // A header left out must stay out even if someone set it on axios' global defaults.
      headers: { Authorization: false, ...request.headers },
      ...(lookup ? { lookup: async (host: string) => [await lookup(host)] } : {}),
      responseType: 'stream',
      validateStatus: () => true,
      // Redirects are not followed blindly: the key must not travel to another host.
      maxRedirects: 0,
      signal: o.deadline.signal,
      // An HTTP(S)_PROXY from the environment must not capture loopback traffic (the sandbox).
      ...(isLoopbackHost(new URL(request.url).hostname) ? { proxy: false } : {}),
      ...(o.onSent ? { transport: notifyingTransport(o.onSent) } : {}),
    });
  } catch (err) {
    throw transportError(err, false, o);
  }
  const headers = flattenHeaders(response.headers as Record<string, unknown>);
  try {
    const announced = checkAnnounced(headers, o);
    const sink = o.sinkFor?.(response.status, headers);
    const read = await readStream(response.data, o, cappedBody(o, sink ?? collect(announced)));
    return { status: response.status, headers, body: read.body, ...(sink ? { received: read.received } : {}) };
  } catch (err) {
    response.data.destroy();
    // The status line and headers did arrive: the log and the error keep them, for the provider's support.
    throw transportError(err, true, o, { status: response.status, requestId: requestIdOf(headers) });
  }
}

async function readStream<T>(stream: Readable, o: SendOptions, body: { write(chunk: Uint8Array): void; end(): T }): Promise<T> {
  const signal = o.deadline.signal;
  const onAbort = () => stream.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal.addEventListener('abort', onAbort, { once: true });
  // 'data' events keep the stream flowing; an async iterator pauses it between chunks (about 15% slower on a 4K image).
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      try {
        body.write(chunk);
      } catch (err) {
        stream.destroy(err as Error);
      }
    });
    finished(stream, (err) => (err ? reject(err) : resolve()));
  }).finally(() => signal.removeEventListener('abort', onAbort));
  return body.end();
}

function flattenHeaders(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = String(Array.isArray(value) ? value[0] : value);
  }
  return out;
}
