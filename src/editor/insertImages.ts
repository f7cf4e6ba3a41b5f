import { dirname } from '../core/posixPath';
import * as vscode from 'vscode';
import { altText, formatImageLink, needsOwnLine, relativePath, resolveLinkStyle, type InsertSetting, type LinkStyle } from '../core/links';

export interface ImageFile {
  uri: vscode.Uri;
  bytes: Uint8Array;
  width: number;
  height: number;
}

export interface InsertTarget {
  document: vscode.TextDocument;
  /** The selection the prompt came from (or the cursor). */
  selection: vscode.Selection;
}

/** The links for some images, in one link style, before they are placed (linkPlacement). */
export interface ImageLinks {
  text: string;
  style: LinkStyle;
}

/**
 * The links for the images in the target document's language, or undefined when nothing is to be inserted.
 * The alt text is the prompt's unless one is given (a described one).
 */
export function linksFor(
  target: InsertTarget,
  files: readonly ImageFile[],
  prompt: string,
  setting: InsertSetting,
  alt = altText(prompt),
): ImageLinks | undefined {
  const style = resolveLinkStyle(setting, target.document.languageId);
  if (!style) return undefined;
  const from = linkBase(target.document);
  const links = files.map((f) =>
    formatImageLink(style, { path: from ? relativePath(from, f.uri.path) : f.uri.fsPath, alt, width: f.width, height: f.height }),
  );
  return { text: links.join(style === 'markdown' || style === 'rst' || style === 'asciidoc' ? '\n\n' : '\n'), style };
}

/** Paths in a saved document are relative to its folder; in an untitled one, to its workspace root. */
function linkBase(doc: vscode.TextDocument): string | undefined {
  if (!doc.isUntitled) return dirname(doc.uri.path);
  return vscode.workspace.workspaceFolders?.[0]?.uri.path;
}

/**
 * Creates the files and inserts their links as ONE workspace edit, so a single Undo removes both.
 * Returns false (with nothing written) when the edit could not be applied, e.g. a read-only document.
 */
export async function writeAndInsert(
  files: readonly ImageFile[],
  target: InsertTarget | undefined,
  links: ImageLinks | undefined,
): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  for (const dir of new Set(files.map((f) => vscode.Uri.joinPath(f.uri, '..').toString()))) {
    await vscode.workspace.fs.createDirectory(vscode.Uri.parse(dir));
  }
  for (const f of files) edit.createFile(f.uri, { contents: f.bytes, overwrite: false, ignoreIfExists: false });
  if (target && links) {
    const { position, snippet } = linkPlacement(target, links);
    edit.insert(target.document.uri, position, snippet);
  }
  const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: false });
  const editor = target && vscode.window.visibleTextEditors.find((e) => e.document === target.document);
  if (applied && editor) keepSelection(editor, target);
  if (!applied) {
    // A failed bulk edit may still have created some files before the text edit was refused.
    for (const f of files) await vscode.workspace.fs.delete(f.uri, { useTrash: false }).then(undefined, () => undefined);
  }
  return applied;
}

/**
 * Where the links go and with what spacing. With a selection: on their own paragraph after its last line. Else at
 * the cursor, except that a directive (rst, AsciiDoc), which only works at the start of its own paragraph, goes
 * after the cursor's line when text follows the cursor (that text would become the directive's content).
 */
export function linkPlacement(target: InsertTarget, links: ImageLinks): { position: vscode.Position; snippet: string } {
  const { selection, document } = target;
  const { text, style } = links;
  if (!selection.isEmpty) {
    const lastLine =
      selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
    return { position: document.lineAt(lastLine).range.end, snippet: `\n\n${text}` };
  }
  const cursor = selection.active;
  const line = document.lineAt(cursor.line);
  const before = line.text.slice(0, cursor.character);
  if (needsOwnLine(style) && before.trim()) {
    if (!line.text.slice(cursor.character).trim()) return { position: cursor, snippet: `\n\n${text}\n` };
    // After the line: one blank line before the next line when that has text, else none added.
    const next = cursor.line + 1 < document.lineCount ? document.lineAt(cursor.line + 1).text : '';
    return { position: line.range.end, snippet: `\n\n${text}${next.trim() ? '\n' : ''}` };
  }
  // At the start of the line right under a paragraph, a block image would join that paragraph.
  const block = style === 'markdown' || needsOwnLine(style);
  if (block && !before && cursor.line > 0 && document.lineAt(cursor.line - 1).text.trim())
    return { position: cursor, snippet: `\n${text}` };
  return { position: cursor, snippet: text };
}

/** An insert at the selection's end stretches it over the new link: the user's own selection is put back. */
export function keepSelection(editor: vscode.TextEditor, target: InsertTarget): void {
  if (!target.selection.isEmpty) editor.selection = target.selection;
}
