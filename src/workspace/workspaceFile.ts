// The one check for a file named by something other than the user's own pick (a webview message, a
// history entry, a dropped item): a file: URI inside a workspace folder, also after symbolic links.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';

export type WorkspaceFile =
  | { ok: true; uri: vscode.Uri }
  /** `notUri`: the text does not parse; `outside`: not a file in a workspace folder, or a link out of one; `unreadable`: gone. */
  | { ok: false; reason: 'notUri' | 'outside' | 'unreadable'; uri?: vscode.Uri };

export async function workspaceFile(raw: string): Promise<WorkspaceFile> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(raw, true);
  } catch {
    return { ok: false, reason: 'notUri' };
  }
  if (uri.scheme !== 'file') return { ok: false, reason: 'outside', uri };
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || folder.uri.scheme !== 'file') return { ok: false, reason: 'outside', uri };
  // A symbolic link inside the folder may point anywhere: where it leads must be inside too.
  let real: string;
  let root: string;
  try {
    [real, root] = await Promise.all([fs.realpath(uri.fsPath), fs.realpath(folder.uri.fsPath)]);
  } catch {
    return { ok: false, reason: 'unreadable', uri };
  }
  const rel = path.relative(root, real);
  const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  return outside ? { ok: false, reason: 'outside', uri } : { ok: true, uri };
}
