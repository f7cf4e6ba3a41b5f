import { localDisk } from './localDisk';
import * as vscode from 'vscode';
import { MARKDOWN_DESTINATION_SETTING, markdownTarget } from '../core/destination';
import type { Failure } from '../core/messages';
import { userText } from '../services/userText';
import { imageFileName, slugify, uniqueFileName } from '../core/naming';
import { checkOutputFolder, isInside, OUTPUT_FOLDER_SETTING } from '../core/outputFolder';

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
 * Every folder that lies in a workspace folder passes the same checks (see {@link plan}).
 * The returned names stay reserved until {@link release}.
 */
export async function chooseTargets(req: TargetRequest): Promise<Targets> {
  const many = req.extensions.length > 1;
  const names = req.extensions.map((ext, i) =>
    req.fileName
      ? `${slugify(req.fileName.replace(/\.(png|jpe?g|webp)$/i, ''))}${many ? `-${i + 1}` : ''}.${ext}`
      : imageFileName(req.prompt, req.now, ext, many ? i + 1 : undefined),
  );
  const planned = await plan(req, names);
  if (!planned.ok) return planned;
  let wanted = planned.wanted;
  if (!wanted) {
    const first = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save generated image'),
      ...(localDisk ? { defaultUri: vscode.Uri.file(`${localDisk.homedir()}/${names[0]}`) } : {}),
      filters: { Images: [req.extensions[0]] },
    });
    if (!first) return { ok: false, cancelled: true };
    const dir = vscode.Uri.joinPath(first, '..');
    wanted = [first, ...names.slice(1).map((n) => vscode.Uri.joinPath(dir, n))];
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

type Plan = { ok: true; wanted?: vscode.Uri[] } | { ok: false; message: string };

/**
 * The files wanted for `names` (undefined: ask with a save dialog), after the one check every
 * destination passes whatever chose it (a setting, the studio, the chat tool, a Markdown rule):
 * lexical first (checkFolderPath, markdownTarget), then the real path of the deepest existing
 * folder must lie in the real workspace folder.
 */
async function plan(req: Omit<TargetRequest, 'prompt' | 'extensions' | 'now'>, names: string[]): Promise<Plan> {
  const folder = folderFor(req.document);
  let wanted: vscode.Uri[];
  let root: vscode.Uri | undefined = folder?.uri;
  let setting: string = OUTPUT_FOLDER_SETTING;
  const rules = folder && req.document && !req.explicitFolder && !req.directory ? markdownRules(req.document) : undefined;
  const fromRule = rules && markdownTargets(rules, req.document!, folder!, names);
  if (fromRule && !fromRule.ok) return { ok: false, message: userText(fromRule.error) };
  if (req.directory) {
    const dir = req.directory;
    // Next to an image the user picked: inside a workspace folder it must really stay there.
    root = vscode.workspace.getWorkspaceFolder(dir)?.uri;
    setting = vscode.l10n.t("the edited image's folder");
    wanted = names.map((n) => vscode.Uri.joinPath(dir, n));
  } else if (fromRule) {
    setting = MARKDOWN_DESTINATION_SETTING;
    wanted = fromRule.uris;
  } else if (folder) {
    const checked = checkOutputFolder(req.outputFolder);
    if (!checked.ok) return { ok: false, message: userText(checked.error) };
    const dir = vscode.Uri.joinPath(folder.uri, ...checked.segments);
    wanted = names.map((n) => vscode.Uri.joinPath(dir, n));
  } else {
    return { ok: true };
  }
  if (root) {
    for (const dir of new Set(wanted.map((u) => vscode.Uri.joinPath(u, '..').toString()))) {
      const problem = await checkDirectory(vscode.Uri.parse(dir), root, setting);
      if (problem) return { ok: false, message: problem };
    }
  }
  return { ok: true, wanted };
}

/** An untitled document belongs to no folder; its links are relative to the first one, so its images go there. */
function folderFor(document: vscode.TextDocument | undefined): vscode.WorkspaceFolder | undefined {
  return document && !document.isUntitled ? vscode.workspace.getWorkspaceFolder(document.uri) : vscode.workspace.workspaceFolders?.[0];
}

/**
 * What is wrong with the place images would be saved to, checked before anything is spent on a
 * request (chooseTargets checks again when saving). Undefined when fine or chosen later (a dialog).
 */
export async function targetFolderProblem(
  req: Pick<TargetRequest, 'document' | 'outputFolder' | 'explicitFolder' | 'directory'>,
): Promise<string | undefined> {
  const planned = await plan(req, ['image.png']);
  return planned.ok ? undefined : planned.message;
}

/** The files a matching Markdown rule gives for `names` (undefined when no rule matches the document). */
function markdownTargets(
  rules: Record<string, string>,
  doc: vscode.TextDocument,
  folder: vscode.WorkspaceFolder,
  names: string[],
): { ok: true; uris: vscode.Uri[] } | Failure | undefined {
  const uris: vscode.Uri[] = [];
  for (const fileName of names) {
    const target = markdownTarget(rules, { documentPath: doc.uri.path, workspaceFolderPath: folder.uri.path, fileName });
    if (!target) return undefined;
    if (!target.ok) return target;
    // The rule gives the folder and base name; the extension is the image's own.
    uris.push(vscode.Uri.joinPath(folder.uri, ...target.folder, `${target.baseName}${fileName.slice(fileName.lastIndexOf('.'))}`));
  }
  return { ok: true, uris };
}

/** The document's `markdown.copyFiles.destination` rules, when it is a saved Markdown file that has some. */
function markdownRules(doc: vscode.TextDocument): Record<string, string> | undefined {
  if (doc.languageId !== 'markdown' || doc.isUntitled) return undefined;
  const config = vscode.workspace.getConfiguration('markdown', doc).get<unknown>('copyFiles.destination');
  if (!config || typeof config !== 'object' || Array.isArray(config) || Object.keys(config).length === 0) return undefined;
  return config as Record<string, string>;
}

/** Refuses a folder that is a file, or that leaves the workspace through a symbolic link; `setting` says what chose it. */
async function checkDirectory(dir: vscode.Uri, root: vscode.Uri, setting: string): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(dir);
    if (!(stat.type & vscode.FileType.Directory)) {
      return vscode.l10n.t(
        '"{0}" names a file ({1}), not a folder. Choose another folder name.',
        setting,
        vscode.workspace.asRelativePath(dir),
      );
    }
  } catch {
    /* created on write */
  }
  // Links can be followed only on a local disk; elsewhere the lexical check (outputFolder.ts) is the check.
  if (dir.scheme === 'file' && localDisk) {
    const realRoot = await localDisk.realpath(root.fsPath).catch(() => root.fsPath);
    let probe = dir.fsPath;
    // The deepest part of the path that exists decides where writes really land.
    for (;;) {
      const real = await localDisk.realpath(probe).catch(() => undefined);
      if (real !== undefined) {
        if (!isInside(realRoot.replace(/\\/g, '/'), real.replace(/\\/g, '/'))) {
          return vscode.l10n.t(
            '"{0}" leads outside the workspace folder through a symbolic link ({1}). Nothing was written; choose a folder inside the workspace.',
            setting,
            vscode.workspace.asRelativePath(dir),
          );
        }
        break;
      }
      const parent = localDisk.parent(probe);
      if (parent === probe) break;
      probe = parent;
    }
  }
  return undefined;
}
