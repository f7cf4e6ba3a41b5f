// Search and paging over the history, kept free of the editor so it can be unit-tested.
import type { HistoryEntry } from '../workspace/history';

/** Every word of the query must occur in the prompt (or model), case- and accent-insensitively. */
export function matchesQuery(entry: Pick<HistoryEntry, 'prompt' | 'model'>, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold(`${entry.prompt} ${entry.model}`);
  return words.every((w) => haystack.includes(w));
}

function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The page of matching entries at `offset` (history is stored newest first) and how many match. */
export function pageOf<T extends Pick<HistoryEntry, 'prompt' | 'model'>>(
  entries: readonly T[],
  query: string,
  offset: number,
  limit: number,
): { entries: T[]; total: number } {
  const matching = query.trim() ? entries.filter((e) => matchesQuery(e, query)) : entries;
  return { entries: matching.slice(offset, offset + limit), total: matching.length };
}
