// POSIX path helpers for URI-style paths ("/ws/docs/a.md", "/c:/Users/me/a.md").
import * as path from 'node:path';

/**
 * Collapses '.', '..' and repeated or trailing slashes, and lowercases a
 * Windows drive letter ("/C:/x" → "/c:/x", "C:/x" → "c:/x"), since paths to
 * the same file may differ only in the drive letter's case.
 */
export function normalizePath(p: string): string {
  let out = path.posix.normalize(p);
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
