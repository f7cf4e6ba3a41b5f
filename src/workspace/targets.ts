import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveCopyFilesDestination } from '../core/destination';
import { imageFileName, slugify, uniqueFileName } from '../core/naming';
import { checkOutputFolder, isInside } from '../core/outputFolder';

export interface TargetRequest {
  document?: vscode.TextDocument;
  prompt: string;
  outputFolder: string;
  /** The caller named the folder: markdown.copyFiles.destination does not apply. */
  explicitFolder?: boolean;
  /** Base name to use instead of one made from the prompt. */
  fileName?: string;
  /** Save into exactly this folder (next to an edited image), not the output folder. */
  directory?: vscode.Uri;
  extensions: readonly string[];
  now: Date;
}

export type Targets = { ok: true; uris: vscode.Uri[] } | { ok: false; message: string } | { ok: false; cancelled: true };

/** Names being written by generations still in flight, so two at once never pick the same file. */
const reserved = new Set<string>();

export function release(uris: readonly vscode.Uri[]): void {
  for (const u of uris) reserved.delete(u.toString());
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where each image goes: `markdown.copyFiles.destination` for a Markdown document when it has a
 * matching entry (as VS Code's own image paste does), else gptImage.outputFolder inside the
 * document's workspace folder, else (no workspace) a save dialog. Never an existing file.
 * The returned names stay reserved until {@link release}.
 */
export async function chooseTargets(req: TargetRequest): Promise<Targets> {
  const folder = folderFor(req.document);
  const many = req.extensions.length > 1;
  const names = req.extensions.map((ext, i) =>
    req.fileName
      ? `${slugify(req.fileName.replace(/\.(png|jpe?g|webp)$/i, ''))}${many ? `-${i + 1}` : ''}.${ext}`
      : imageFileName(req.prompt, req.now, ext, many ? i + 1 : undefined),
  );
  const wanted: vscode.Uri[] = [];

  const fromMarkdown = folder && req.document && !req.explicitFolder ? markdownDestinations(req.document, folder, names) : undefined;
  if (req.directory) {
    const dir = req.directory;
    wanted.push(...names.map((n) => vscode.Uri.joinPath(dir, n)));
  } else if (fromMarkdown) {
    wanted.push(...fromMarkdown);
  } else if (folder) {
    const checked = checkOutputFolder(req.outputFolder);
    if (!checked.ok) return checked;
    const dir = vscode.Uri.joinPath(folder.uri, ...checked.segments);
    const problem = await checkDirectory(dir, folder.uri);
    if (problem) return { ok: false, message: problem };
    wanted.push(...names.map((n) => vscode.Uri.joinPath(dir, n)));
  } else {
    const first = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save generated image'),
      defaultUri: vscode.Uri.file(`${os.homedir()}/${names[0]}`),
      filters: { Images: [req.extensions[0]] },
    });
    if (!first) return { ok: false, cancelled: true };
    const dir = vscode.Uri.joinPath(first, '..');
    wanted.push(first, ...names.slice(1).map((n) => vscode.Uri.joinPath(dir, n)));
  }

  const uris: vscode.Uri[] = [];
  for (const want of wanted) {
    const dir = vscode.Uri.joinPath(want, '..');
    const base = want.path.slice(dir.path.length + 1);
    const name = await uniqueFileName(base, async (c) => {
      const uri = vscode.Uri.joinPath(dir, c);
      if (await exists(uri)) return true;
      // Checked and claimed in one tick after the disk answered: a generation running alongside
      // may have taken the name while this one waited.
      if (reserved.has(uri.toString())) return true;
      reserved.add(uri.toString());
      return false;
    });
    uris.push(vscode.Uri.joinPath(dir, name));
  }
  return { ok: true, uris };
}

/** An untitled document belongs to no folder; its links are relative to the first one, so its images go there. */
function folderFor(document: vscode.TextDocument | undefined): vscode.WorkspaceFolder | undefined {
  return document && !document.isUntitled ? vscode.workspace.getWorkspaceFolder(document.uri) : vscode.workspace.workspaceFolders?.[0];
}

/**
 * What is wrong with the folder images would be saved to, checked before anything is spent on a
 * request (chooseTargets checks again when saving). Undefined when fine or chosen later (a dialog).
 */
export async function targetFolderProblem(
  req: Pick<TargetRequest, 'document' | 'outputFolder' | 'explicitFolder'>,
): Promise<string | undefined> {
  const folder = folderFor(req.document);
  if (!folder || (req.document && !req.explicitFolder && markdownDestinations(req.document, folder, ['image.png']))) return undefined;
  const checked = checkOutputFolder(req.outputFolder);
  if (!checked.ok) return checked.message;
  return checkDirectory(vscode.Uri.joinPath(folder.uri, ...checked.segments), folder.uri);
}

function markdownDestinations(doc: vscode.TextDocument, folder: vscode.WorkspaceFolder, names: string[]): vscode.Uri[] | undefined {
  if (doc.languageId !== 'markdown' || doc.isUntitled) return undefined;
  const config = vscode.workspace.getConfiguration('markdown', doc).get<Record<string, string>>('copyFiles.destination') ?? {};
  if (Object.keys(config).length === 0) return undefined;
  const out: vscode.Uri[] = [];
  for (const fileName of names) {
    const target = resolveCopyFilesDestination(config, { documentPath: doc.uri.path, workspaceFolderPath: folder.uri.path, fileName });
    if (!target || !isInside(folder.uri.path, target)) return undefined;
    out.push(doc.uri.with({ path: target }));
  }
  return out;
}

/** Refuses a folder that is a file, or that leaves the workspace through a symbolic link. */
async function checkDirectory(dir: vscode.Uri, root: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(dir);
    if (!(stat.type & vscode.FileType.Directory)) {
      return vscode.l10n.t(
        '"gptImage.outputFolder" names a file ({0}), not a folder. Choose another folder name.',
        vscode.workspace.asRelativePath(dir),
      );
    }
  } catch {
    /* created on write */
  }
  if (dir.scheme === 'file') {
    const realRoot = await fs.realpath(root.fsPath).catch(() => root.fsPath);
    let probe = dir.fsPath;
    // The deepest part of the path that exists decides where writes really land.
    for (;;) {
      const real = await fs.realpath(probe).catch(() => undefined);
      if (real !== undefined) {
        if (!isInside(realRoot.replace(/\\/g, '/'), real.replace(/\\/g, '/'))) {
          return vscode.l10n.t(
            '"gptImage.outputFolder" leads outside the workspace folder through a symbolic link. Choose a folder inside the workspace.',
          );
        }
        break;
      }
      const parent = path.dirname(probe);
      if (parent === probe) break;
      probe = parent;
    }
  }
  return undefined;
}
