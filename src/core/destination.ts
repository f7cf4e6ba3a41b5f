// Where VS Code's own Markdown image paste/drop would put a file, from the
// `markdown.copyFiles.destination` setting, so generated images land in the same place.
import * as path from 'node:path';
import { globToRegExp } from './glob';

export interface DestinationContext {
  /** Absolute POSIX path of the document, e.g. "/ws/docs/guide/intro.md". */
  documentPath: string;
  /** Absolute POSIX path of the document's workspace folder, if it has one. */
  workspaceFolderPath?: string;
  /** Name of the new file, e.g. "otter.png". */
  fileName: string;
  /** For `${unixTime}` and `${isoTime}`; defaults to now. */
  now?: Date;
}

/**
 * VS Code matches every key against the document's absolute path: a key starting
 * with '/' is anchored at the workspace folder, any other gets a leading `**` / .
 */
function keyMatches(rawGlob: string, ctx: DestinationContext): boolean {
  let glob: string;
  if (rawGlob.startsWith('/')) {
    if (ctx.workspaceFolderPath === undefined) return false;
    glob = path.posix.join(ctx.workspaceFolderPath, rawGlob);
  } else {
    glob = rawGlob.startsWith('**') ? rawGlob : `**/${rawGlob}`;
  }
  return globToRegExp(glob).test(ctx.documentPath);
}

// `\$`, or `${name}` / `${name/regexp/replacement/}` where '/' inside the parts is written `\/`.
const VARIABLE = /(\\\$)|(?<!\\)\$\{(\w+)(?:\/((?:\\\/|[^}/])+)\/((?:\\\/|[^}/])*)\/)?\}/g;
const unescapeSlashes = (s: string) => s.replace(/\\\//g, '/');

function variables(ctx: DestinationContext): Map<string, string> {
  const doc = ctx.documentPath;
  const dir = path.posix.dirname(doc);
  const docName = path.posix.basename(doc);
  const docExt = path.posix.extname(docName);
  const fileExt = path.posix.extname(ctx.fileName);
  const root = ctx.workspaceFolderPath;
  const now = ctx.now ?? new Date();
  return new Map([
    ['documentDirName', dir],
    ['documentRelativeDirName', root === undefined ? dir : path.posix.relative(root, dir)],
    ['documentFileName', docName],
    ['documentBaseName', docName.slice(0, docName.length - docExt.length)],
    ['documentExtName', docExt.replace('.', '')],
    ['documentFilePath', doc],
    ['documentRelativeFilePath', root === undefined ? doc : path.posix.relative(root, doc)],
    ['documentWorkspaceFolder', root ?? dir],
    ['fileName', ctx.fileName],
    ['fileExtName', fileExt.replace('.', '')],
    // Not one of VS Code's variables; offered because a name without its extension is handy.
    ['fileBaseName', ctx.fileName.slice(0, ctx.fileName.length - fileExt.length)],
    ['unixTime', String(now.getTime())],
    ['isoTime', now.toISOString()],
  ]);
}

/** Substitutes variables the way VS Code does: unknown names stay as written. */
function expand(dest: string, ctx: DestinationContext): string {
  const vars = variables(ctx);
  return dest.replace(VARIABLE, (match, escape?: string, name?: string, pattern?: string, replacement?: string) => {
    if (escape) return '$';
    const value = vars.get(name!);
    if (value === undefined) return match;
    // VS Code applies a transform only when the replacement is non-empty.
    if (pattern && replacement) {
      try {
        return value.replace(new RegExp(unescapeSlashes(pattern)), unescapeSlashes(replacement));
      } catch {
        return value; // Invalid regexp: VS Code keeps the plain value too.
      }
    }
    return value;
  });
}

/**
 * Absolute POSIX path of the target file for the first key of `config` (a
 * `markdown.copyFiles.destination` value) whose glob matches the document,
 * or undefined when none does. The result may lie outside the workspace and
 * may already exist; callers check both.
 */
export function resolveCopyFilesDestination(config: Record<string, string>, ctx: DestinationContext): string | undefined {
  for (const [rawGlob, rawDest] of Object.entries(config)) {
    if (typeof rawDest !== 'string' || !keyMatches(rawGlob, ctx)) continue;
    let dest = rawDest.trim() || '${fileName}';
    // A leading '/' means the workspace folder; a trailing '/' means "into this folder".
    if (dest.startsWith('/')) dest = '${documentWorkspaceFolder}/' + dest.slice(1);
    if (dest.endsWith('/')) dest += '${fileName}';
    const resolved = expand(dest, ctx);
    return path.posix.isAbsolute(resolved)
      ? path.posix.normalize(resolved)
      : path.posix.join(path.posix.dirname(ctx.documentPath), resolved);
  }
  return undefined;
}
