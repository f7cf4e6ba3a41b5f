// A fetch that refuses what a browser refuses for want of CORS headers, so the web extension host's
// message can be seen from Node, whose fetch checks none. Only the checks the client's requests meet:
// no credentials (so '*' allows any origin), and a preflight for any request that is not "simple".
// Like a browser, a refusal is a bare TypeError that does not say why. Exposed headers are not filtered.

const SIMPLE_METHODS = ['GET', 'HEAD', 'POST'];
const SAFELISTED = ['accept', 'accept-language', 'content-language', 'content-type'];
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

const blocked = () => new TypeError('Failed to fetch');

/** `fetch` as a page at `origin` sees it: `inner` (Node's fetch unless given) behind a browser's CORS checks. */
export function browserFetch(origin: string, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    const contentType = headers.get('content-type')?.toLowerCase();
    // A FormData body gets a multipart type from fetch itself: simple.
    const unsafe = [...headers.keys()]
      .filter(
        (name) => !SAFELISTED.includes(name) || (name === 'content-type' && !SIMPLE_CONTENT_TYPES.some((t) => contentType!.startsWith(t))),
      )
      .sort();
    if (!SIMPLE_METHODS.includes(method) || unsafe.length) {
      const preflight = await inner(input, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': method,
          ...(unsafe.length ? { 'access-control-request-headers': unsafe.join(',') } : {}),
        },
        ...(init.signal ? { signal: init.signal } : {}),
      });
      await preflight.body?.cancel();
      const allowed = (name: string) => (preflight.headers.get(name) ?? '').split(',').map((v) => v.trim().toLowerCase());
      const passes =
        preflight.ok &&
        allowsOrigin(preflight, origin) &&
        (SIMPLE_METHODS.includes(method) || allowed('access-control-allow-methods').includes(method.toLowerCase())) &&
        // A '*' covers every header but Authorization.
        unsafe.every((h) => allowed('access-control-allow-headers').some((a) => a === h || (a === '*' && h !== 'authorization')));
      if (!passes) throw blocked();
    }
    headers.set('origin', origin);
    const response = await inner(input, { ...init, headers });
    if (!allowsOrigin(response, origin)) {
      await response.body?.cancel();
      throw blocked();
    }
    return response;
  };
}

const allowsOrigin = (r: Response, origin: string) => ['*', origin].includes(r.headers.get('access-control-allow-origin') ?? '');
