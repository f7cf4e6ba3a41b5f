// The gateways' model lists (GET {apiRoot}/models) as kept between sessions: one entry per API root,
// with the time it was fetched, so a list is asked for at most once a day per gateway.
import { normalizeBaseUrl } from './baseUrl';

/** A listed model is asked for again after a day: gateways add models rarely, and listing costs a round trip. */
export const MODEL_LIST_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Base URLs remembered at most; the least recently fetched are dropped first. */
export const MAX_CACHED_GATEWAYS = 10;
/** Ids kept per gateway; aggregators list thousands, and the webview's protocol takes at most 500. */
export const MAX_MODEL_IDS = 500;
/** How far in the future a fetch time may be (clock skew) before the entry is treated as stale. */
const FUTURE_SLACK_MS = 5 * 60 * 1000;

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@+/-]{0,127}$/;

export interface ModelListEntry {
  /** Cleaned ids (see cleanModelIds). */
  ids: string[];
  /** Epoch ms of the successful fetch. */
  fetchedAt: number;
}

/** Keyed by the normalised API root (`https://host/prefix/v1`), what `normalizeBaseUrl` gives. */
export type ModelCache = Readonly<Record<string, ModelListEntry>>;

/** Whether text looks like a model id (what the studio's protocol accepts too): no spaces, markup or paths. */
export function isModelId(text: string): boolean {
  return MODEL_ID.test(text);
}

/** Ids a gateway returned, kept only when they look like ids; image models first, as they are the ones wanted. */
export function cleanModelIds(ids: readonly unknown[]): string[] {
  const valid = [...new Set(ids.filter((id): id is string => typeof id === 'string' && MODEL_ID.test(id)))];
  const image = (id: string) => /image|dall-e/i.test(id);
  return [...valid.filter(image), ...valid.filter((id) => !image(id))].slice(0, MAX_MODEL_IDS);
}

/** The cache key for a base URL as the user typed it, or undefined when it is not a usable base URL. */
export function cacheKeyOf(baseUrl: string): string | undefined {
  const url = normalizeBaseUrl(baseUrl);
  return url.ok ? url.apiRoot : undefined;
}

/**
 * The cache as stored, checked entry by entry: anything malformed (an older version's plain id list,
 * a hand-edited value, a key that is not a normalised API root) is dropped rather than trusted.
 */
export function parseModelCache(raw: unknown): ModelCache {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: Record<string, ModelListEntry> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (cacheKeyOf(key) !== key || !value || typeof value !== 'object') continue;
    const { ids, fetchedAt } = value as Record<string, unknown>;
    if (!Array.isArray(ids) || typeof fetchedAt !== 'number' || !Number.isFinite(fetchedAt) || fetchedAt < 0) continue;
    out[key] = { ids: cleanModelIds(ids), fetchedAt };
  }
  return out;
}

export function entryFor(cache: ModelCache, apiRoot: string): ModelListEntry | undefined {
  return Object.prototype.hasOwnProperty.call(cache, apiRoot) ? cache[apiRoot] : undefined;
}

/** Fresh: fetched less than maxAge ago. A fetch time in the future (a clock set back) counts as stale. */
export function isFresh(entry: ModelListEntry | undefined, now: number, maxAgeMs = MODEL_LIST_MAX_AGE_MS): boolean {
  if (!entry) return false;
  return entry.fetchedAt <= now + FUTURE_SLACK_MS && now - entry.fetchedAt < maxAgeMs;
}

/** The cache with this gateway's new list; past MAX_CACHED_GATEWAYS, the other gateways' oldest fetches are dropped. */
export function withEntry(cache: ModelCache, apiRoot: string, ids: readonly unknown[], fetchedAt: number): ModelCache {
  const others = Object.entries(cache)
    .filter(([key]) => key !== apiRoot)
    .sort(([, a], [, b]) => b.fetchedAt - a.fetchedAt)
    .slice(0, MAX_CACHED_GATEWAYS - 1);
  return Object.fromEntries([[apiRoot, { ids: cleanModelIds(ids), fetchedAt }], ...others]);
}
