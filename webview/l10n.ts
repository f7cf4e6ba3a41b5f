// The page's side of the studio's translations: the host puts its table of text (one entry per key of
// `EN`, in the display language) as JSON in `data-strings` on <main id="app">; this checks it like any
// message from the host and fills whatever is missing or unusable with the English default.
import * as z from 'zod/v4-mini';
import { EN, placeholders, STRING_KEYS, type StringKey, type StringTable } from './strings';

/** Longest text of one key; the longest English one is under 300 characters. */
export const MAX_STRING = 1000;
/** Longest JSON table read at all. */
export const MAX_TABLE = 64 * 1024;

const entry = z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_STRING)));
const tableSchema = z.strictObject(Object.fromEntries(STRING_KEYS.map((k) => [k, entry])) as Record<StringKey, typeof entry>);

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join('.') || 'table';
  return issue.code === 'unrecognized_keys' ? `${where}: unknown keys ${issue.keys.join(', ')}` : `${where}: ${issue.code}`;
}

export type StringsResult = { table: StringTable; problem?: string };

/**
 * The table to use: the host's text where it is valid and has the English placeholders, English elsewhere.
 * A table that is not JSON, too long, or has an unknown key or a value that is not a short text is not used at all.
 */
export function parseStrings(json: string | undefined): StringsResult {
  if (json === undefined || json === '') return { table: EN, problem: 'no table' };
  if (json.length > MAX_TABLE) return { table: EN, problem: 'table too long' };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { table: EN, problem: 'not JSON' };
  }
  const parsed = tableSchema.safeParse(raw);
  if (!parsed.success) return { table: EN, problem: parsed.error.issues.map(describeIssue).join('; ') };
  const table: StringTable = { ...EN };
  const unusable: string[] = [];
  for (const key of STRING_KEYS) {
    const text = parsed.data[key];
    if (text === undefined) continue;
    if (placeholders(text).join() === placeholders(EN[key]).join()) table[key] = text;
    else unusable.push(key);
  }
  return unusable.length ? { table, problem: `placeholders differ: ${unusable.join(', ')}` } : { table };
}
