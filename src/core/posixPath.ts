// POSIX path helpers for URI-style paths ("/ws/docs/a.md", "/c:/Users/me/a.md"). Our own, as Node's
// path.posix, whose results these match (test/unit/posixPath.test.ts), is not there in a browser.

/** path.posix.normalize. */
export function normalize(p: string): string {
  if (p === '') return '.';
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  const joined = (absolute ? '/' : '') + out.join('/');
  const trailing = p.endsWith('/') && out.length > 0 ? '/' : '';
  return (joined || (absolute ? '/' : '.')) + trailing;
}

export const isAbsolute = (p: string): boolean => p.startsWith('/');

/** path.posix.join. */
export function join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  return joined === '' ? '.' : normalize(joined);
}

/** path.posix.dirname. */
export function dirname(p: string): string {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') || '/' : p;
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  if (slash === 0) return '/';
  return trimmed.slice(0, slash);
}

/** path.posix.basename, without the suffix argument. */
export function basename(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** path.posix.extname: from the last '.' of the name, unless the name starts with it. */
export function extname(p: string): string {
  const name = basename(p);
  const dot = name.lastIndexOf('.');
  return dot <= 0 || name === '..' ? '' : name.slice(dot);
}

/** path.posix.relative for two absolute paths. */
export function relative(from: string, to: string): string {
  const a = normalize(from).split('/').filter(Boolean);
  const b = normalize(to).split('/').filter(Boolean);
  let same = 0;
  while (same < a.length && same < b.length && a[same] === b[same]) same++;
  return [...a.slice(same).map(() => '..'), ...b.slice(same)].join('/');
}

/**
 * Collapses '.', '..' and repeated or trailing slashes, and lowercases a
 * Windows drive letter ("/C:/x" → "/c:/x", "C:/x" → "c:/x"), since paths to
 * the same file may differ only in the drive letter's case.
 */
export function normalizePath(p: string): string {
  let out = normalize(p);
  if (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out.replace(/^(\/?)([A-Za-z]):(?=\/|$)/, (_, slash: string, d: string) => `${slash}${d.toLowerCase()}:`);
}

/** True when `childPath` is `parentPath` itself or lies below it. */
export function isInside(parentPath: string, childPath: string): boolean {
  const parent = normalizePath(parentPath);
  const child = normalizePath(childPath);
  if (child === parent) return true;
  return child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}
