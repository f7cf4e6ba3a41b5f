import { dirname } from '../core/posixPath';
import * as vscode from 'vscode';
import { altText, formatImageLink, needsOwnLine, relativePath, resolveLinkStyle, type InsertSetting } from '../core/links';

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

/**
 * The link text for the images in the target document's language, or undefined when nothing is to be inserted.
 * The alt text is the prompt's unless one is given (a described one).
 */
export function linksFor(
  target: InsertTarget,
  files: readonly ImageFile[],
  prompt: string,
  setting: InsertSetting,
  alt = altText(prompt),
): string | undefined {
  const style = resolveLinkStyle(setting, target.document.languageId);
  if (!style) return undefined;
  const from = linkBase(target.document);
  const links = files.map((f) =>
    formatImageLink(style, { path: from ? relativePath(from, f.uri.path) : f.uri.fsPath, alt, width: f.width, height: f.height }),
  );
  const text = links.join(style === 'markdown' || style === 'rst' || style === 'asciidoc' ? '\n\n' : '\n');
  // Directives (rst, AsciiDoc) only work at the start of their own paragraph.
  const cursor = target.selection.active;
  if (!target.selection.isEmpty) return text;
  const before = target.document.lineAt(cursor.line).text.slice(0, cursor.character);
  if (needsOwnLine(style) && before.trim()) return `\n\n${text}\n`;
  // At the start of the line right under a paragraph, a block image would join that paragraph.
  const block = style === 'markdown' || needsOwnLine(style);
  if (block && !before && cursor.line > 0 && target.document.lineAt(cursor.line - 1).text.trim()) return `\n${text}`;
  return text;
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
  text: string | undefined,
): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  for (const dir of new Set(files.map((f) => vscode.Uri.joinPath(f.uri, '..').toString()))) {
    await vscode.workspace.fs.createDirectory(vscode.Uri.parse(dir));
  }
  for (const f of files) edit.createFile(f.uri, { contents: f.bytes, overwrite: false, ignoreIfExists: false });
  if (target && text !== undefined) {
    const { position, snippet } = linkPlacement(target, text);
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
 * With a selection, the links go on their own paragraph after its last line; else at the cursor (linksFor spaced
 * them for it), except that a directive linksFor set apart (rst, AsciiDoc: it starts with a blank line) goes after
 * the cursor's line when text follows the cursor, which would otherwise become the directive's content.
 */
export function linkPlacement(target: InsertTarget, text: string): { position: vscode.Position; snippet: string } {
  const { selection, document } = target;
  if (selection.isEmpty) {
    const line = document.lineAt(selection.active.line);
    if (!text.startsWith('\n\n') || !line.text.slice(selection.active.character).trim())
      return { position: selection.active, snippet: text };
    // linksFor ended it with a line break: one blank line before the next line when that has text, else none added.
    const next = line.lineNumber + 1 < document.lineCount ? document.lineAt(line.lineNumber + 1).text : '';
    return { position: line.range.end, snippet: next.trim() ? text : text.replace(/\n$/, '') };
  }
  const lastLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  return { position: document.lineAt(lastLine).range.end, snippet: `\n\n${text}` };
}

/** An insert at the selection's end stretches it over the new link: the user's own selection is put back. */
export function keepSelection(editor: vscode.TextEditor, target: InsertTarget): void {
  if (!target.selection.isEmpty) editor.selection = target.selection;
}
