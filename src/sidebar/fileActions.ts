// What the studio's per-image buttons do. Each receives a file already matched to a history entry.
import { basename } from '../core/posixPath';
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import { altText, formatImageLink } from '../core/links';
import { keepSelection, linkPlacement, linksFor, type ImageFile } from '../editor/insertImages';
import type { HistoryEntry } from '../workspace/history';

export interface KnownFile {
  entry: HistoryEntry;
  file: HistoryEntry['files'][number];
  uri: vscode.Uri;
}

function imageFile(k: KnownFile): ImageFile {
  return { uri: k.uri, bytes: new Uint8Array(), width: k.file.width, height: k.file.height };
}

/** The editor to act in: the visible one showing the last active document, or that document re-shown. */
async function liveEditor(last: vscode.TextEditor | undefined): Promise<vscode.TextEditor | undefined> {
  if (!last || last.document.isClosed) return undefined;
  const visible = vscode.window.visibleTextEditors.find((e) => e.document === last.document);
  return visible ?? vscode.window.showTextDocument(last.document, { viewColumn: last.viewColumn, preserveFocus: true });
}

/** Inserts the image's link at the cursor of the last active editor, in that document's link style. */
export async function insertAtCursor(k: KnownFile, last: vscode.TextEditor | undefined): Promise<void> {
  const editor = await liveEditor(last);
  if (!editor) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('GPT Image: open a text editor and place the cursor where the image should go.'),
    );
    return;
  }
  const doc = editor.document;
  if (vscode.workspace.fs.isWritableFileSystem(doc.uri.scheme) === false) {
    void vscode.window.showErrorMessage(vscode.l10n.t('GPT Image: this document is read-only, so no link can be inserted.'));
    return;
  }
  // The button is an explicit request, so "insert: none" falls back to the document's own style.
  const configured = readSettings(doc.uri).settings.insert;
  const setting = configured === 'none' ? 'auto' : configured;
  const target = { document: doc, selection: editor.selection };
  const links = linksFor(target, [imageFile(k)], k.entry.prompt, setting);
  if (!links) return;
  // Where the Generate command puts its links: after the selected lines, else at the cursor.
  const { position, snippet } = linkPlacement(target, links);
  const ok = await editor.edit((b) => b.insert(position, snippet));
  if (!ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('GPT Image: the link could not be inserted.'));
    return;
  }
  keepSelection(editor, target);
  await vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn, preserveFocus: false });
}

/** A Markdown link relative to the last active document when there is one, else to the workspace. */
export async function copyMarkdown(k: KnownFile, last: vscode.TextEditor | undefined): Promise<void> {
  const doc = last && !last.document.isClosed ? last.document : undefined;
  const text = doc
    ? linksFor({ document: doc, selection: new vscode.Selection(0, 0, 0, 0) }, [imageFile(k)], k.entry.prompt, 'markdown')?.text
    : formatImageLink('markdown', {
        path: vscode.workspace.asRelativePath(k.uri, false),
        alt: altText(k.entry.prompt),
        width: k.file.width,
        height: k.file.height,
      });
  await vscode.env.clipboard.writeText(text ?? '');
  void vscode.window.setStatusBarMessage(vscode.l10n.t('GPT Image: Markdown link copied'), 3000);
}

export async function copyPath(k: KnownFile): Promise<void> {
  await vscode.env.clipboard.writeText(k.uri.scheme === 'file' ? k.uri.fsPath : k.uri.toString());
  void vscode.window.setStatusBarMessage(vscode.l10n.t('GPT Image: path copied'), 3000);
}

export async function openFile(k: KnownFile): Promise<void> {
  await vscode.commands.executeCommand('vscode.open', k.uri);
}

/** The Explorer only shows workspace files; others are shown in the OS file manager. */
export async function revealFile(k: KnownFile): Promise<void> {
  const inWorkspace = vscode.workspace.getWorkspaceFolder(k.uri) !== undefined;
  await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', k.uri);
}

/** Moves the file to the trash after a modal confirmation. True when it was deleted. */
export async function deleteFile(k: KnownFile): Promise<boolean> {
  const trash = vscode.l10n.t('Move to Trash');
  const pick = await vscode.window.showWarningMessage(
    vscode.l10n.t('Move "{0}" to the trash?', basename(k.uri.path)),
    { modal: true, detail: vscode.workspace.asRelativePath(k.uri, true) },
    trash,
  );
  if (pick !== trash) return false;
  try {
    await vscode.workspace.fs.delete(k.uri, { useTrash: true });
    return true;
  } catch (err) {
    // Remote and headless machines often have no trash; like the Explorer, offer to delete for good.
    return deletePermanently(k, err);
  }
}

async function deletePermanently(k: KnownFile, trashError: unknown): Promise<boolean> {
  const name = basename(k.uri.path);
  const forever = vscode.l10n.t('Delete Permanently');
  const pick = await vscode.window.showWarningMessage(
    vscode.l10n.t('"{0}" could not be moved to the trash. Delete it permanently?', name),
    { modal: true, detail: String(trashError) },
    forever,
  );
  if (pick !== forever) return false;
  try {
    await vscode.workspace.fs.delete(k.uri, { useTrash: false });
    return true;
  } catch (err) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('GPT Image: could not delete {0}: {1}', vscode.workspace.asRelativePath(k.uri), String(err)),
    );
    return false;
  }
}
