// Which two images a comparison shows. The page names results by URI, so each one must be a file a history
// entry names, inside a workspace folder (the rule Refine this follows); the host picks the parent's image itself.
import { basename } from '../core/posixPath';
import * as vscode from 'vscode';
import type { HistoryEntry } from '../core/historyEntry';
import { cleanText, MAX_COMPARE_LABEL, type CompareView } from '../protocol';
import { resultInWorkspace } from './references';
import { fileView, shortPrompt } from './views';

/** One image of a comparison: its URI string, its size as the history has it (0 when not known), its label. */
export interface CompareSide {
  uri: string;
  width: number;
  height: number;
  label: string;
}
export interface ComparePair {
  before: CompareSide;
  after: CompareSide;
}
/** A pair to show, why it cannot be shown, or undefined for a file no history entry names (a forged request). */
export type ComparePick = ComparePair | { problem: string } | undefined;

type Found = { entry: HistoryEntry; file: HistoryEntry['files'][number] };

/** The result, or why not, or undefined when no entry names it. */
async function result(entries: readonly HistoryEntry[], uri: string): Promise<Found | { problem: string } | undefined> {
  const found = await resultInWorkspace(entries, uri);
  if (!found || 'problem' in found) return found;
  const file = found.entry.files.find((f) => f.uri === uri);
  return file && { entry: found.entry, file };
}

const side = (found: Found, label: string): CompareSide => ({
  uri: found.file.uri,
  width: found.file.width,
  height: found.file.height,
  label: cleanText(label, MAX_COMPARE_LABEL),
});

/** Compare with parent: the result after, and before it the image it was refined from (the edit's first source). */
export async function parentPair(entries: readonly HistoryEntry[], uri: string): Promise<ComparePick> {
  const after = await result(entries, uri);
  if (!after || 'problem' in after) return after;
  const parent = after.entry.parent === undefined ? undefined : entries.find((e) => e.id === after.entry.parent);
  // The page offers this only on entries with a parent; anything else was not asked for by it.
  if (!parent) return undefined;
  const first = after.entry.sources?.[0];
  const source = parent.files.find((f) => f.uri === first) ?? parent.files[0];
  if (!source) return { problem: vscode.l10n.t('The entry it was refined from has no image left to compare with.') };
  const before = await result(entries, source.uri);
  if (!before || 'problem' in before) return before ?? undefined;
  return { before: side(before, vscode.l10n.t('Before')), after: side(after, vscode.l10n.t('After')) };
}

/** Two results: the older one before, each labelled with the start of its prompt (or its file name, when both share one). */
export async function twoResults(entries: readonly HistoryEntry[], uris: readonly string[]): Promise<ComparePick> {
  if (uris.length !== 2) return undefined;
  const a = await result(entries, uris[0]!);
  const b = await result(entries, uris[1]!);
  if (!a || !b) return undefined;
  if ('problem' in a) return a;
  if ('problem' in b) return b;
  const [older, newer] = a.entry.time <= b.entry.time ? [a, b] : [b, a];
  const label = (f: Found) =>
    older.entry.prompt === newer.entry.prompt
      ? basename(vscode.Uri.parse(f.file.uri, true).path)
      : shortPrompt(f.entry.prompt, MAX_COMPARE_LABEL);
  return { before: side(older, label(older)), after: side(newer, label(newer)) };
}

/** The pair as a webview shows it; undefined when a URI is one the protocol would refuse. */
export function compareView(webview: vscode.Webview, pair: ComparePair): CompareView | undefined {
  const before = fileView(webview, pair.before, false);
  const after = fileView(webview, pair.after, false);
  if (!before || !after) return undefined;
  return { before: { file: before, label: pair.before.label }, after: { file: after, label: pair.after.label } };
}
