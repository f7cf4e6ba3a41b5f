// Removes API keys and tokens from text and structured data before they are logged or shown.

export const REDACTED = '[REDACTED]';

/** Shorter secrets would match ordinary words and numbers. */
const MIN_SECRET_LENGTH = 4;

const TOKEN_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Authorization: Bearer <token> (8+ characters, so prose like "bearer token" stays)
  [/\b(Bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1${REDACTED}`],
  // Authorization: Basic <base64> (only after the header name: "Basic" alone is a common word)
  [/(authorization["']?\s*[:=]\s*["']?Basic\s+)[A-Za-z0-9+/]+=*/gi, `$1${REDACTED}`],
  // api-key / x-api-key headers (Azure OpenAI, some gateways) and API_KEY=... assignments
  [/(?<![A-Za-z0-9])((?:x-)?api[-_]?key["']?\s*[:=]\s*["']?)[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1${REDACTED}`],
  // OpenAI-style keys: sk-..., sk-proj-..., sk-svcacct-...
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
];

/** Keys whose string values are credentials whatever they look like. */
const SECRET_KEYS =
  /^(?:(?:proxy-)?authorization|(?:x-)?api[-_]?key|apikey|password|passwd|secret|client[-_]?secret|(?:access|refresh|id|auth|bearer)[-_]?token|token)$/i;

/**
 * Replaces each known secret (those of at least 4 characters), bearer tokens,
 * api-key header values and `sk-` keys with "[REDACTED]".
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret containing a shorter one is removed whole.
  const known = [...new Set(secrets)].filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
  for (const secret of known.sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of TOKEN_PATTERNS) {
    out = out.replace(pattern, replacement);
  }
  return out;
}

/**
 * A copy of `value` for logging, with every string redacted and string values
 * under credential-like keys ("authorization", "api-key", "password"...)
 * replaced outright. Recurses into arrays and plain objects. Errors become
 * `{ name, message, stack, code?, status?, cause? }` (their other fields, such as
 * an HTTP client's request config, are dropped); Dates become ISO strings; other
 * objects, which may hold secrets we cannot see, become "[object ClassName]";
 * cycles become "[Circular]".
 */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  const ancestors = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v, secrets);
    if (typeof v !== 'object' || v === null) return typeof v === 'function' ? '[Function]' : v;
    if (ancestors.has(v)) return '[Circular]';
    ancestors.add(v);
    try {
      if (Array.isArray(v)) return v.map(walk);
      if (v instanceof Error) return errorFields(v, walk);
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return `[object ${v.constructor?.name ?? 'Object'}]`;
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v)) {
        out[k] = typeof child === 'string' && child !== '' && SECRET_KEYS.test(k) ? REDACTED : walk(child);
      }
      return out;
    } finally {
      // Only an ancestor makes a cycle; the same object twice side by side is fine.
      ancestors.delete(v);
    }
  };
  return walk(value);
}

function errorFields(e: Error, walk: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { name: e.name, message: walk(e.message) };
  if (e.stack) out.stack = walk(e.stack);
  const extra = e as { code?: unknown; status?: unknown };
  for (const key of ['code', 'status'] as const) {
    const v = extra[key];
    if (typeof v === 'string' || typeof v === 'number') out[key] = walk(v);
  }
  if (e.cause !== undefined) out.cause = walk(e.cause);
  return out;
}
