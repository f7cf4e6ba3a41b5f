// The browser's network (the web extension host): fetch, its body read as a Web Stream through the
// same caps and sinks as Node's (transport.node.ts). There is no DNS here: the address check sees
// only address literals, and the browser's own rules for private addresses apply to names.
import { EMPTY } from './bytes';
import { ImageApiError } from './errors';
import { message } from './messages';
import {
  cappedBody,
  checkAnnounced,
  collect,
  requestIdOf,
  transportError,
  type HttpRequest,
  type Network,
  type RawResponse,
  type SendOptions,
  type Transport,
} from './transport';

export interface FetchSetup {
  /** The platform's fetch unless given (tests). */
  fetch?: typeof fetch;
  /** The origin the requests come from (the workbench's, in its worker), named when the browser blocks one. */
  origin?: string;
}

/** The worker's own origin, which a gateway must allow; undefined outside a browser. */
const ownOrigin = (): string | undefined => (globalThis as { origin?: unknown }).origin as string | undefined;

/**
 * The gateway's requests carry the key, so they never follow a redirect (`manual`: the browser hands
 * back an opaque answer, reported as a redirect). Image downloads carry no key and let fetch follow,
 * as the browser only shows where a redirect led after the fact: the answer says where it ended, and
 * download.ts checks that address as it checks each redirect it follows by hand.
 */
export function fetchNetwork(setup: FetchSetup = {}): Network {
  return { api: fetchTransport('manual', setup), images: fetchTransport('follow', setup) };
}

export function fetchTransport(redirect: 'manual' | 'follow', setup: FetchSetup = {}): Transport {
  return (request, o) => send(request, o, redirect, setup);
}

async function send(request: HttpRequest, o: SendOptions, redirect: RequestRedirect, setup: FetchSetup): Promise<RawResponse> {
  let response: Response;
  try {
    const pending = (setup.fetch ?? fetch)(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: o.deadline.signal,
      redirect,
      credentials: 'omit',
      cache: 'no-store',
    });
    // fetch does not say when the body has left; the server may be working from here on.
    o.onSent?.();
    response = await pending;
  } catch (err) {
    throw fetchFailure(err, request.url, o, setup.origin ?? ownOrigin());
  }
  // The browser hides a redirect it was told not to follow: status 0, no headers.
  if (response.type === 'opaqueredirect') return { status: 302, headers: {}, body: EMPTY };
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
  const reader = response.body?.getReader();
  try {
    const announced = checkAnnounced(headers, o);
    const sink = o.sinkFor?.(response.status, headers);
    const body = cappedBody(o, sink ?? collect(announced));
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      body.write(chunk.value);
    }
    const read = body.end();
    return {
      status: response.status,
      headers,
      body: read.body,
      ...(sink ? { received: read.received } : {}),
      // Only an image download follows redirects (`follow`): its caller checks where it ended (download.ts).
      ...(response.redirected && response.url ? { url: response.url } : {}),
    };
  } catch (err) {
    reader?.cancel().catch(() => undefined);
    // The status line and headers did arrive: the log and the error keep them, for the provider's support.
    throw transportError(err, true, o, { status: response.status, requestId: requestIdOf(headers) });
  }
}

/**
 * What a failed fetch means. A browser says only TypeError ("Failed to fetch", "NetworkError…",
 * "Load failed") for a refused connection, an unknown host and a CORS refusal alike, and CORS is the
 * one a user can do something about that the message would otherwise hide: it names both origins.
 * Node's fetch gives the socket's code as the cause, which reads as in the Node transport.
 */
export function fetchFailure(err: unknown, url: string, o: SendOptions, from: string | undefined): ImageApiError {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (!o.deadline.cause() && err instanceof TypeError && !code && from !== undefined) {
    return new ImageApiError({ kind: 'network', detail: message('browserBlocked', { peer: o.peer, origin: new URL(url).origin, from }) });
  }
  return transportError(code ? { code, message: String(cause?.message ?? code) } : err, false, o);
}
