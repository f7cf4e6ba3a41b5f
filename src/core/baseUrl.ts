// Turns the base URL a user pasted into the gateway's API root, refusing URLs that would leak the key.
import { message, type Failure, type Message } from './messages';

export type BaseUrl =
  { ok: true; /** scheme://host[:port], what a key is stored under */ origin: string; /** ends with /v1 */ apiRoot: string } | Failure;

/** Loopback hosts may use plain http: the traffic never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const refuse = (error: Message): Failure => ({ ok: false, error });

/** `https://host`, `https://host/`, `https://host/v1` and `https://host/v1/` all give the same API root. */
export function normalizeBaseUrl(input: string): BaseUrl {
  const text = (input ?? '').trim();
  if (!text) return refuse(message('baseUrlMissing', {}));
  let url: URL | undefined;
  try {
    // Without "://", "localhost:8080" would parse as scheme "localhost:".
    if (/^[a-z][\w+.-]*:\/\//i.test(text)) url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url) {
    return refuse(message('baseUrlNotFull', { text, hostLike: /^[\w.-]+(:\d+)?(\/|$)/.test(text) }));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refuse(message('baseUrlScheme', { scheme: url.protocol }));
  }
  if (url.username || url.password) {
    return refuse(message('baseUrlCredentials', {}));
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return refuse(message('baseUrlPlainHttp', { host: url.hostname }));
  }
  if (url.search || url.hash) {
    return refuse(message('baseUrlQuery', {}));
  }
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/v1$/i, '');
  return { ok: true, origin: url.origin, apiRoot: `${url.origin}${prefix}/v1` };
}

/** The URL of an API path under the root, e.g. endpoint(apiRoot, 'images/generations'). */
export function endpoint(apiRoot: string, path: string): string {
  return `${apiRoot.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
