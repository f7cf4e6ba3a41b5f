// The one check for a file named by something other than the user's own pick (a webview message, a
// history entry, a dropped item): a file: URI inside a workspace folder, also after symbolic links.
import * as vscode from 'vscode';
import { isInside } from '../core/posixPath';
import { localDisk } from './localDisk';

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
  if (!localDisk) return inFolder(uri);
  if (uri.scheme !== 'file') return { ok: false, reason: 'outside', uri };
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || folder.uri.scheme !== 'file') return { ok: false, reason: 'outside', uri };
  // A symbolic link inside the folder may point anywhere: where it leads must be inside too.
  let real: string;
  let root: string;
  try {
    [real, root] = await Promise.all([localDisk.realpath(uri.fsPath), localDisk.realpath(folder.uri.fsPath)]);
  } catch {
    return { ok: false, reason: 'unreadable', uri };
  }
  return localDisk.isWithin(root, real) ? { ok: true, uri } : { ok: false, reason: 'outside', uri };
}

/**
 * Without a local disk (the web host) the workspace is whatever file system the workbench gives
 * (vscode-vfs:, vscode-remote:, …) and links cannot be followed: the URI itself must lie in a folder.
 */
async function inFolder(uri: vscode.Uri): Promise<WorkspaceFile> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || folder.uri.scheme !== uri.scheme || folder.uri.authority !== uri.authority || !isInside(folder.uri.path, uri.path)) {
    return { ok: false, reason: 'outside', uri };
  }
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    return { ok: false, reason: 'unreadable', uri };
  }
  return { ok: true, uri };
}
