// History entries and job results as the webview sees them: thumbnails by webview URI; only a
// running job's previews travel as bytes, since they are never saved.
import { basename } from '../core/posixPath';
import { localDisk } from '../workspace/localDisk';
import * as vscode from 'vscode';
import type { PartialImage } from '../core/client';
import { MAX_REFERENCES } from '../core/editLimits';
import {
  cleanText,
  isSafeUri,
  MAX_PARENT_PROMPT,
  MAX_PROMPT,
  MAX_URI,
  MAX_GATEWAYS,
  type EntryCost,
  type SpentRow,
  type EntryView,
  type FileView,
  type JobView,
  type PreviewView,
} from '../protocol';
import { findFile } from '../core/historyEntry';
import { spending } from '../core/spending';
import type { HistoryEntry } from '../workspace/history';
import { imageFileName } from '../workspace/imageFiles';
import type { Job } from './jobs';

const ENTRY_ID = /^[A-Za-z0-9_-]{1,64}$/;

type StoredFile = Pick<HistoryEntry['files'][number], 'uri' | 'width' | 'height'>;

/** Undefined for a URI the protocol would refuse, so it is left out instead of voiding the message. */
export function fileView(webview: vscode.Webview, f: StoredFile, missing: boolean): FileView | undefined {
  if (f.uri.length > MAX_URI || !isSafeUri(f.uri)) return undefined;
  try {
    const uri = vscode.Uri.parse(f.uri, true);
    return {
      uri: f.uri,
      src: webview.asWebviewUri(uri).toString(),
      name: imageFileName(uri),
      width: f.width,
      height: f.height,
      missing,
    };
  } catch {
    return undefined;
  }
}

/** file: URIs are checked on the local disk where there is one: through workspace.fs each stat is a round trip to the workbench in a remote window. */
async function isMissing(uri: string): Promise<boolean> {
  try {
    const parsed = vscode.Uri.parse(uri, true);
    await (parsed.scheme === 'file' && localDisk ? localDisk.stat(parsed.fsPath) : vscode.workspace.fs.stat(parsed));
    return false;
  } catch {
    return true;
  }
}

/**
 * Views of one page of entries, shown at once: files count as present until missingFiles says otherwise.
 * `all` is the whole history, where a parent may be found on another page.
 */
export function entryViews(webview: vscode.Webview, entries: readonly HistoryEntry[], all: readonly HistoryEntry[]): EntryView[] {
  let byId: Map<string, HistoryEntry> | undefined;
  const parentOf = (id: string) => (byId ??= new Map(all.map((e) => [e.id, e]))).get(id);
  return shownEntries(entries).map((e) => entryView(webview, e, e.parent === undefined ? undefined : parentOf(e.parent)));
}

/** The files of those views that are gone from disk, all checked in parallel. */
export async function missingFiles(views: readonly EntryView[]): Promise<string[]> {
  const uris = views.flatMap((e) => e.files.map((f) => f.uri));
  const missing = await Promise.all(uris.map(isMissing));
  return uris.filter((_, i) => missing[i]);
}

function shownEntries(entries: readonly HistoryEntry[]): HistoryEntry[] {
  return entries.filter((e) => ENTRY_ID.test(e.id));
}

function entryView(webview: vscode.Webview, e: HistoryEntry, parent: HistoryEntry | undefined): EntryView {
  return {
    id: e.id,
    time: e.time,
    prompt: cleanText(e.prompt, MAX_PROMPT),
    model: cleanText(e.model, 256),
    size: e.size === undefined ? undefined : cleanText(e.size, 64),
    quality: e.quality === undefined ? undefined : cleanText(e.quality, 64),
    status: e.status,
    error: e.error === undefined ? undefined : cleanText(e.error, 4096),
    files: e.files
      .slice(0, 10)
      .map((f) => fileView(webview, f, false))
      .filter((f): f is FileView => f !== undefined),
    ...(e.kind === 'edit' ? { edit: { sources: (e.sources ?? []).slice(0, MAX_REFERENCES).map(sourceName), mask: e.mask === true } } : {}),
    ...(parent && ENTRY_ID.test(parent.id) ? { parent: { id: parent.id, prompt: shortPrompt(parent.prompt) } } : {}),
    ...costOf(e),
  };
}

/** An entry's estimate and actual cost, when it has either (the history schema already checked them). */
export function costOf(e: HistoryEntry | undefined): { cost?: EntryCost } {
  if (e?.estimate === undefined && e?.actual === undefined) return {};
  return {
    cost: { ...(e.estimate === undefined ? {} : { estimate: e.estimate }), ...(e.actual === undefined ? {} : { actual: e.actual }) },
  };
}

/** What the history says was spent, per gateway, as of now. */
export function spentRows(entries: readonly HistoryEntry[]): SpentRow[] {
  return spending(entries, new Date())
    .slice(0, MAX_GATEWAYS)
    .map(({ gateway, ...spent }) => ({ ...(gateway === undefined ? {} : { gateway: cleanText(gateway, 253) }), ...spent }));
}

function sourceName(uri: string): string {
  try {
    return imageFileName(vscode.Uri.parse(uri, true));
  } catch {
    return cleanText(basename(uri), 1024);
  }
}

/** The start of a prompt, cut at a word where it can be, with an ellipsis when cut. */
export function shortPrompt(prompt: string, max = MAX_PARENT_PROMPT): string {
  const clean = cleanText(prompt, MAX_PROMPT).replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** A job's files from the history entry that recorded them (for their sizes), else with unknown sizes. */
export function jobView(webview: vscode.Webview, job: Job, entries: readonly HistoryEntry[]): JobView {
  return {
    jobId: job.jobId,
    prompt: cleanText(job.prompt, MAX_PROMPT),
    started: job.started,
    state: job.state,
    message: cleanText(job.message, 4096),
    files: jobFiles(webview, job.files, entries),
    ...jobEntry(job.files, entries),
    // A card shown again after a reload keeps the cost it showed when the job ended.
    ...costOf(savedBy(job.files, entries)),
  };
}

/** The history entry that saved a finished job's files; none for a job without files. */
function savedBy(files: readonly string[], entries: readonly HistoryEntry[]): HistoryEntry | undefined {
  return files[0] === undefined ? undefined : findFile(entries, files[0])?.entry;
}

/** The entry that saved a finished job's files, for the actions of its card. */
export function jobEntry(files: readonly string[], entries: readonly HistoryEntry[]): Pick<JobView, 'entry'> {
  const entry = savedBy(files, entries);
  return entry && ENTRY_ID.test(entry.id) ? { entry: { id: entry.id, parent: entry.parent !== undefined } } : {};
}

export function jobFiles(webview: vscode.Webview, files: readonly string[], entries: readonly HistoryEntry[]): FileView[] {
  return files
    .slice(0, 10)
    .map((uri) => {
      const stored = findFile(entries, uri)?.file ?? { uri, width: 0, height: 0 };
      return fileView(webview, stored, false);
    })
    .filter((f): f is FileView => f !== undefined);
}

/** Numbers a job's previews as they arrive, for the page ("preview 2 of 3"). */
export class PreviewCounter {
  private received = 0;

  /** The preview as the page takes it. */
  next(image: PartialImage): PreviewView {
    const { width, height, format } = image;
    return { bytes: ownBytes(image.bytes), format, width, height, index: this.received++, total: image.expected ?? 0 };
  }
}

/**
 * The bytes in an ArrayBuffer of their own, so what the webview transfer carries is the preview and
 * nothing else: a decoded preview usually has one already (no copy of a 4K image); a small one may
 * share Node's pool with other data, and is copied.
 */
function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const alone = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return alone ? new Uint8Array(bytes.buffer as ArrayBuffer, 0, bytes.byteLength) : new Uint8Array(bytes);
}
