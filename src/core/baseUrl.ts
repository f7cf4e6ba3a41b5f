// Turns the base URL a user pasted into the gateway's API root, refusing URLs that would leak the key.

export type BaseUrl =
  | { ok: true; /** scheme://host[:port], what a key is stored under */ origin: string; /** ends with /v1 */ apiRoot: string }
  | { ok: false; message: string };

const EXAMPLE = 'e.g. https://api.example.com';

/** Loopback hosts may use plain http: the traffic never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** `https://host`, `https://host/`, `https://host/v1` and `https://host/v1/` all give the same API root. */
export function normalizeBaseUrl(input: string): BaseUrl {
  const text = (input ?? '').trim();
  if (!text) return { ok: false, message: `Enter the gateway's base URL, ${EXAMPLE}.` };
  let url: URL | undefined;
  try {
    // Without "://", "localhost:8080" would parse as scheme "localhost:".
    if (/^[a-z][\w+.-]*:\/\//i.test(text)) url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url) {
    const hint = /^[\w.-]+(:\d+)?(\/|$)/.test(text) ? ` Add the scheme: https://${text}` : ` Use a full URL, ${EXAMPLE}.`;
    return { ok: false, message: `"${text}" is not a full URL.${hint}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `${url.protocol} URLs are not supported; use an https:// URL, ${EXAMPLE}.` };
  }
  if (url.username || url.password) {
    return { ok: false, message: 'Remove the user name and password from the URL; the API key is asked for and stored separately.' };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      ok: false,
      message: `Plain http would send the API key unencrypted to ${url.hostname}; use https:// (http is allowed only for localhost and 127.0.0.1).`,
    };
  }
  if (url.search || url.hash) {
    return { ok: false, message: 'Remove the query (?…) and fragment (#…) from the URL; only scheme, host, port and path are used.' };
  }
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/v1$/i, '');
  return { ok: true, origin: url.origin, apiRoot: `${url.origin}${prefix}/v1` };
}

/** The URL of an API path under the root, e.g. endpoint(apiRoot, 'images/generations'). */
export function endpoint(apiRoot: string, path: string): string {
  return `${apiRoot.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
