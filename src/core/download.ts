// Fetches an image the gateway answered with as a URL, through the network's image transport, which
// never carries the API key. Redirects are followed by hand: never from https to http, and never to
// an address the gateway may not send us to (addressGuard). A browser follows them itself; where its
// answer ended is checked the same way before the bytes are used.
import type { AddressGuard } from './addressGuard';
import type { Deadline } from './deadline';
import { ImageApiError } from './errors';
import { message, type Message } from './messages';
import type { ByteBudget, RawResponse, Transport } from './transport';

export const MAX_REDIRECTS = 3;

export interface DownloadOptions {
  deadline: Deadline;
  /** Cap on this image. */
  maxBytes: number;
  /** Cap shared by every image of one answer. */
  budget?: ByteBudget;
  /** Which addresses the URL may lead to, checked on the resolved address before connecting. */
  guard: AddressGuard;
  /** The network's image transport (Network.images). */
  transport: Transport;
}

export interface Downloaded extends RawResponse {
  /** The URL the bytes came from, after redirects. */
  url: string;
}

function refuse(detail: Message, status?: number): ImageApiError {
  return new ImageApiError({ kind: status === 404 || status === 410 ? 'notFound' : 'invalidResponse', detail, status });
}

export function checkScheme(url: string, redirected: boolean, from?: URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse(message('imageUrlNotUrl', {}));
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw refuse(message('imageUrlScheme', { scheme: parsed.protocol, redirected }));
  }
  if (from?.protocol === 'https:' && parsed.protocol === 'http:') {
    throw refuse(message('imageUrlDowngrade', {}));
  }
  return parsed;
}

export async function downloadImage(url: string, o: DownloadOptions): Promise<Downloaded> {
  let current = url;
  let previous: URL | undefined;
  for (let hop = 0; ; hop++) {
    const parsed = checkScheme(current, hop > 0, previous);
    previous = parsed;
    const connect = await o.guard.check(parsed.hostname);
    let res: RawResponse;
    try {
      res = await o.transport(
        { method: 'GET', url: current, headers: { Accept: 'image/*' }, ...(connect.lookup ? { lookup: connect.lookup } : {}) },
        { deadline: o.deadline, maxBytes: o.maxBytes, budget: o.budget, peer: 'imageServer' },
      );
    } catch (err) {
      // A refused address surfaces from the socket as a lookup failure: say what really happened.
      throw connect.refused() ?? err;
    }
    if (res.url !== undefined && res.url !== current) {
      const landed = checkScheme(res.url, true, parsed);
      await o.guard.check(landed.hostname);
      current = res.url;
    }
    const location = res.headers.location;
    if ([301, 302, 303, 307, 308].includes(res.status) && location) {
      if (hop >= MAX_REDIRECTS) throw refuse(message('tooManyRedirects', { max: MAX_REDIRECTS }));
      try {
        current = new URL(location, current).href;
      } catch {
        throw refuse(message('redirectNotUrl', {}));
      }
      continue;
    }
    if (res.status !== 200) {
      throw refuse(message('imageUrlStatus', { status: res.status }), res.status);
    }
    return { ...res, url: current };
  }
}
