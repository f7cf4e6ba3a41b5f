// The reference images of the next edit, as the host accepted them: from its own open dialog, or
// dropped from the Explorer when inside a workspace folder. The page names them by URI only, and
// a URI not in this set is never read.
import * as vscode from 'vscode';
import { MAX_REFERENCES } from '../core/editLimits';
import type { EditFile } from '../core/edits';
import { findFile, type HistoryEntry } from '../core/historyEntry';
import { isSafeUri, MAX_URI, type ReferenceView } from '../protocol';
import { imageFileName, readImageFile } from '../workspace/imageFiles';
import { workspaceFile } from '../workspace/workspaceFile';

interface Reference {
  uri: vscode.Uri;
  key: string;
  name: string;
  width: number;
  height: number;
}

type Checked = { ok: true; reference: Reference; bytes: Uint8Array } | { ok: false; message: string };
export type ReadResult = { ok: true; images: EditFile[] } | { ok: false; message: string };

export class ReferenceSet {
  private list: Reference[] = [];

  get size(): number {
    return this.list.length;
  }

  has(key: string): boolean {
    return this.list.some((r) => r.key === key);
  }

  remove(key: string): boolean {
    const before = this.list.length;
    this.list = this.list.filter((r) => r.key !== key);
    return this.list.length !== before;
  }

  clear(): void {
    this.list = [];
  }

  /** The folders of the references, so the page may show them as thumbnails. */
  roots(): vscode.Uri[] {
    return this.list.map((r) => vscode.Uri.joinPath(r.uri, '..'));
  }

  views(webview: vscode.Webview): ReferenceView[] {
    return this.list.map((r) => ({
      uri: r.key,
      src: webview.asWebviewUri(r.uri).toString(),
      name: r.name,
      width: r.width,
      height: r.height,
    }));
  }

  /** Checks and adds each file in order; one sentence per refused file, joined, or undefined when all went in. */
  async add(uris: readonly vscode.Uri[]): Promise<string | undefined> {
    const problems: string[] = [];
    for (const uri of uris) {
      const key = uri.toString();
      if (this.has(key)) continue;
      if (this.list.length >= MAX_REFERENCES) {
        problems.push(
          vscode.l10n.t(
            '{0} was not added: the studio takes at most {1} reference images. Remove one first.',
            imageFileName(uri),
            MAX_REFERENCES,
          ),
        );
        continue;
      }
      // The page must be able to name it back, and the protocol refuses such URIs.
      if (key.length > MAX_URI || !isSafeUri(key)) {
        problems.push(vscode.l10n.t('{0} has a path the studio cannot use; copy it to a plainer path.', imageFileName(uri)));
        continue;
      }
      const checked = await inspect(uri);
      if (checked.ok) this.list.push(checked.reference);
      else problems.push(checked.message);
    }
    return problems.length ? problems.join(' ') : undefined;
  }

  /**
   * These files in place of the list, checked first: when none can be used the list stays as it was,
   * so a failed Refine this or Use prompt again loses nothing. Says why files were refused, like add().
   */
  async replace(uris: readonly vscode.Uri[]): Promise<string | undefined> {
    const next = new ReferenceSet();
    const problem = await next.add(uris);
    if (next.size) this.list = next.list;
    return problem;
  }

  /**
   * The bytes of the named references, read again now: the file may have changed since it was
   * added. Undefined keys are the caller's to refuse before this.
   */
  async read(keys: readonly string[]): Promise<ReadResult> {
    const images: EditFile[] = [];
    for (const key of keys) {
      const ref = this.list.find((r) => r.key === key);
      if (!ref) return { ok: false, message: vscode.l10n.t('A reference image was removed; add it again.') };
      const checked = await inspect(ref.uri);
      if (!checked.ok) return checked;
      images.push({ name: ref.name, bytes: checked.bytes, path: vscode.workspace.asRelativePath(ref.uri) });
    }
    return { ok: true, images };
  }
}

/** Reads one file and checks that it is an image the edits endpoint takes. */
async function inspect(uri: vscode.Uri): Promise<Checked> {
  const read = await readImageFile(uri);
  if (!read.ok) return read;
  const { name, bytes, image } = read;
  return { ok: true, bytes, reference: { uri, key: uri.toString(), name, width: image.width, height: image.height } };
}

/**
 * Why a dropped URI is refused, or undefined when it is a file inside a workspace folder. A
 * drop message comes from the page, so it is held to what the Explorer of this window can drag.
 */
export async function dropProblem(raw: string): Promise<string | undefined> {
  const checked = await workspaceFile(raw);
  if (checked.ok) return undefined;
  if (!checked.uri) return vscode.l10n.t('A dropped item is not a file; drag image files from the Explorer.');
  const name = imageFileName(checked.uri);
  return checked.reason === 'unreadable'
    ? vscode.l10n.t('{0} could not be read; check that it still exists.', name)
    : vscode.l10n.t('{0} is not in a workspace folder; drag files from this window\'s Explorer, or use "Pick images".', name);
}

/**
 * A result the page may act on (Refine this, Show Generation Info, Compare): only a file a history entry
 * names (the page asks by URI, and a forged one names anything) and, as a drop, inside a workspace folder.
 * Undefined when no entry names it; otherwise the entry, and the file or why it is refused.
 */
export async function resultInWorkspace(
  entries: readonly HistoryEntry[],
  file: string,
): Promise<{ entry: HistoryEntry; uri: vscode.Uri } | { entry: HistoryEntry; problem: string } | undefined> {
  const entry = findFile(entries, file)?.entry;
  if (!entry) return undefined;
  const problem = await dropProblem(file);
  return problem ? { entry, problem } : { entry, uri: vscode.Uri.parse(file, true) };
}

/** Parses the dropped URIs the host will take; the rest become one message. */
export async function acceptDropped(raw: readonly string[]): Promise<{ uris: vscode.Uri[]; problem: string | undefined }> {
  const uris: vscode.Uri[] = [];
  const problems: string[] = [];
  for (const r of raw) {
    const problem = await dropProblem(r);
    if (problem) problems.push(problem);
    else uris.push(vscode.Uri.parse(r, true));
  }
  return { uris, problem: problems.length ? problems.join(' ') : undefined };
}
