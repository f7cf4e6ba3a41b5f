// Where VS Code's own Markdown image paste/drop would put a file, from the
// `markdown.copyFiles.destination` setting, so generated images land in the same place.
import { globToRegExp } from './glob';
import { slugify } from './naming';
import { message, type Failure, type Message } from './messages';
import { checkFolderPath, folderRefused } from './outputFolder';
import { basename, dirname, extname, isAbsolute, isInside, join, normalize, normalizePath, relative } from './posixPath';

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
    glob = join(ctx.workspaceFolderPath, rawGlob);
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
  const dir = dirname(doc);
  const docName = basename(doc);
  const docExt = extname(docName);
  const fileExt = extname(ctx.fileName);
  const root = ctx.workspaceFolderPath;
  const now = ctx.now ?? new Date();
  return new Map([
    ['documentDirName', dir],
    ['documentRelativeDirName', root === undefined ? dir : relative(root, dir)],
    ['documentFileName', docName],
    ['documentBaseName', docName.slice(0, docName.length - docExt.length)],
    ['documentExtName', docExt.replace('.', '')],
    ['documentFilePath', doc],
    ['documentRelativeFilePath', root === undefined ? doc : relative(root, doc)],
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

/** The first rule of `config` whose glob matches the document, as [glob, destination]. */
function matchingRule(config: Record<string, string>, ctx: DestinationContext): [string, string] | undefined {
  for (const [rawGlob, rawDest] of Object.entries(config)) {
    if (typeof rawDest === 'string' && keyMatches(rawGlob, ctx)) return [rawGlob, rawDest];
  }
  return undefined;
}

/** The rule's destination expanded (both separators read as '/', as on Windows) and made absolute. */
function resolveRule(rawDest: string, ctx: DestinationContext): { expanded: string; resolved: string } {
  let dest = rawDest.trim() || '${fileName}';
  // A leading '/' means the workspace folder; a trailing '/' means "into this folder".
  if (dest.startsWith('/')) dest = '${documentWorkspaceFolder}/' + dest.slice(1);
  if (dest.endsWith('/') || dest.endsWith('\\')) dest += '${fileName}';
  const expanded = expand(dest, ctx).replace(/\\/g, '/');
  const resolved = isAbsolute(expanded) ? normalize(expanded) : join(dirname(ctx.documentPath), expanded);
  return { expanded, resolved };
}

/**
 * Absolute POSIX path of the target file for the first key of `config` (a
 * `markdown.copyFiles.destination` value) whose glob matches the document,
 * or undefined when none does. The result may lie outside the workspace and
 * may already exist: {@link markdownTarget} is what decides where a file goes.
 */
export function resolveCopyFilesDestination(config: Record<string, string>, ctx: DestinationContext): string | undefined {
  const rule = matchingRule(config, ctx);
  return rule && resolveRule(rule[1], ctx).resolved;
}

export const MARKDOWN_DESTINATION_SETTING = 'markdown.copyFiles.destination';

export type MarkdownTarget = { ok: true; folder: string[]; baseName: string } | (Failure & { message: string });

/**
 * Where a `markdown.copyFiles.destination` rule (a workspace may set it) puts an image, checked like
 * every other destination: the folder must lie inside the workspace folder, with names every OS
 * accepts (checkFolderPath). Only the base name comes from the rule, made safe like a name made
 * from a prompt; the extension is always the image's own. Undefined when no rule matches.
 */
export function markdownTarget(
  config: Record<string, string>,
  ctx: DestinationContext & { workspaceFolderPath: string },
): MarkdownTarget | undefined {
  const rule = matchingRule(config, ctx);
  if (!rule) return undefined;
  const [glob, dest] = rule;
  const shown = `"${glob}": ${JSON.stringify(dest)}`;
  const fail = (problem: Message): MarkdownTarget =>
    folderRefused(MARKDOWN_DESTINATION_SETTING, shown, problem, message('useFolderInside', {}));
  const { expanded, resolved } = resolveRule(dest, ctx);
  for (const text of [dest.trim().replace(/\\/g, '/'), expanded]) {
    if (text.startsWith('//')) return fail(message('folderUnc', {}));
    if (/^[A-Za-z]:/.test(text)) return fail(message('folderDrive', {}));
  }
  const root = normalizePath(ctx.workspaceFolderPath);
  const target = normalizePath(resolved);
  if (target === root || !isInside(root, target)) return fail(message('folderOutside', {}));
  const relative = target.slice(root.length).replace(/^\//, '');
  const slash = relative.lastIndexOf('/');
  const folder = checkFolderPath(relative.slice(0, slash + 1), MARKDOWN_DESTINATION_SETTING, shown);
  if (!folder.ok) return folder;
  const file = relative.slice(slash + 1);
  const dot = file.lastIndexOf('.');
  return { ok: true, folder: folder.segments, baseName: slugify(dot > 0 ? file.slice(0, dot) : file, 100) };
}
