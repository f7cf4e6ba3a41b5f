// File names for generated images: short, lowercase ASCII, valid on Windows, macOS and Linux.

const FALLBACK = 'image';

/** Device names Windows refuses as file names, whatever the extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/** Lowercase letters NFKD does not decompose into ASCII. */
const LETTER_MAP = new Map('ß:ss æ:ae œ:oe ø:o đ:d ð:d þ:th ł:l ı:i ŋ:n'.split(' ').map((pair) => pair.split(':') as [string, string]));

/**
 * Lowercase ASCII slug of `prompt`: diacritics stripped, runs of anything else
 * turned into one '-', cut at a word boundary so it fits in `maxLength`.
 * Returns 'image' when nothing usable is left (emoji-only, non-Latin script...).
 */
export function slugify(prompt: string, maxLength = 48): string {
  const max = Math.max(1, Math.floor(maxLength));
  let slug = prompt
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{ASCII}]/gu, (c) => LETTER_MAP.get(c) ?? '-')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  slug = cutAtWord(slug, max);
  if (!slug) return FALLBACK;
  if (WINDOWS_RESERVED.test(slug)) {
    const safe = `${slug}-${FALLBACK}`;
    return safe.length <= max ? safe : FALLBACK;
  }
  return slug;
}

function cutAtWord(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  if (slug[max] === '-') return slug.slice(0, max);
  const dash = slug.lastIndexOf('-', max - 1);
  const cut = dash > 0 ? slug.slice(0, dash) : slug.slice(0, max);
  return cut.replace(/-+$/, '');
}

/**
 * `YYYYMMDD-HHMMSS` from the date's local-time components, so names match the
 * clock the user sees; not unique across time zones or DST fall-back hours.
 */
export function timestamp(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${p(date.getFullYear(), 4)}${p(date.getMonth() + 1)}${p(date.getDate())}` +
    `-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`
  );
}

/**
 * `<slug>-<timestamp>[-<index>].<ext>`. Pass `index` (1-based) only when one
 * request yields several images. `ext` may carry a leading dot.
 */
export function imageFileName(prompt: string, date: Date, ext: string, index?: number): string {
  const cleanExt = ext.replace(/^\./, '').toLowerCase();
  if (!/^[a-z0-9]{1,10}$/.test(cleanExt)) {
    throw new RangeError(`Invalid image file extension: ${JSON.stringify(ext)}`);
  }
  if (index !== undefined && !(Number.isInteger(index) && index > 0)) {
    throw new RangeError(`Image index must be a positive integer, got ${index}`);
  }
  const suffix = index === undefined ? '' : `-${index}`;
  return `${slugify(prompt)}-${timestamp(date)}${suffix}.${cleanExt}`;
}

/**
 * First free name among `name`, `base-1.ext`, `base-2.ext`... (the same scheme as
 * VS Code's `markdown.copyFiles.overwriteBehavior: nameIncrementally`).
 * `name` may include folders; only its last segment is numbered.
 * Throws after `maxTries` candidates are all taken.
 */
export async function uniqueFileName(name: string, exists: (candidate: string) => Promise<boolean>, maxTries = 1000): Promise<string> {
  const slash = name.lastIndexOf('/') + 1;
  const dir = name.slice(0, slash);
  const file = name.slice(slash);
  const dot = file.lastIndexOf('.');
  // A leading dot starts a hidden name (".env"), not an extension.
  const [base, ext] = dot > 0 ? [file.slice(0, dot), file.slice(dot)] : [file, ''];
  for (let i = 0; i < maxTries; i++) {
    const candidate = i === 0 ? name : `${dir}${base}-${i}${ext}`;
    if (!(await exists(candidate))) return candidate;
  }
  throw new Error(`No free file name for "${name}" after ${maxTries} attempts`);
}
