// Text inserted at the cursor to reference a saved image, in the syntax of the document's language.
import { normalizePath, relative } from './posixPath';

export type LinkStyle = 'markdown' | 'html' | 'css' | 'rst' | 'asciidoc' | 'path';
export type InsertSetting = 'auto' | 'markdown' | 'html' | 'path' | 'none';

export interface ImageRef {
  /** Relative to the document, forward slashes, not URL-encoded. */
  path: string;
  alt: string;
  width?: number;
  height?: number;
}

const LANGUAGE_STYLES: Record<string, LinkStyle> = {
  markdown: 'markdown',
  mdx: 'markdown',
  html: 'html',
  javascriptreact: 'html',
  typescriptreact: 'html',
  vue: 'html',
  svelte: 'html',
  astro: 'html',
  php: 'html',
  css: 'css',
  scss: 'css',
  sass: 'css',
  less: 'css',
  stylus: 'css',
  restructuredtext: 'rst',
  asciidoc: 'asciidoc',
};

export function linkStyleForLanguage(languageId: string): LinkStyle {
  return Object.hasOwn(LANGUAGE_STYLES, languageId) ? LANGUAGE_STYLES[languageId] : 'path';
}

/** `undefined` means insert nothing. Unknown setting values behave like 'auto'. */
export function resolveLinkStyle(setting: InsertSetting, languageId: string): LinkStyle | undefined {
  switch (setting) {
    case 'none':
      return undefined;
    case 'markdown':
    case 'html':
    case 'path':
      return setting;
    default:
      return linkStyleForLanguage(languageId);
  }
}

/** Whether a link in this style shows an alt text (a CSS url() or a bare path has none). */
export function carriesAlt(style: LinkStyle): boolean {
  return style !== 'css' && style !== 'path';
}

/** rst and AsciiDoc image directives only work at the start of their own line. */
export function needsOwnLine(style: LinkStyle): boolean {
  return style === 'rst' || style === 'asciidoc';
}

// Bidi overrides/isolates and marks could make the inserted text display in a misleading order.
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One trimmed line, runs of whitespace and control characters collapsed to a single space, bidi controls removed. */
export function oneLine(text: string): string {
  return text
    .replace(BIDI_CONTROLS, '')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim();
}

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Alt text from a prompt: one line, at most `maxLength` user-perceived
 * characters, shortened at a word boundary and ended with '…' when cut.
 */
export function altText(prompt: string, maxLength = 100): string {
  const flat = oneLine(prompt);
  const max = Math.max(1, Math.floor(maxLength));
  if (flat.length <= max) return flat;
  // Counted in graphemes so an emoji or accented letter is never split; only max + 1 are needed.
  const graphemes: string[] = [];
  for (const { segment } of graphemeSegmenter.segment(flat)) {
    if (graphemes.push(segment) > max) break;
  }
  if (graphemes.length <= max) return flat;
  const head = graphemes.slice(0, max - 1);
  const space = graphemes[max - 1] === ' ' ? max - 1 : head.lastIndexOf(' ');
  const kept = (space > 0 ? head.slice(0, space) : head).join('');
  return kept.replace(/[\s,;:.\-–—]+$/u, '') + '…';
}

/** POSIX path from a folder to a file, e.g. "images/a.png" or "../images/a.png". */
export function relativePath(fromDir: string, toFile: string): string {
  return relative(normalizePath(fromDir), normalizePath(toFile)) || '.';
}

// encodeURI/encodeURIComponent throw on unpaired surrogates.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A relative path whose first segment has ':' would read as a URL scheme ("mailto:x"). */
function noScheme(p: string): string {
  return /^[^/]*:/.test(p) && !/^[A-Za-z]:[\\/]/.test(p) ? `./${p}` : p;
}

/**
 * Percent-encodes the characters of a file path that a URL would misread:
 * '%' (else "%20" in a name would decode to a space), '#' and '?' (fragment,
 * query), control characters, plus those in `extra` (a RegExp class body).
 */
function urlPath(p: string, extra = ''): string {
  const set = new RegExp(`[%#?\\p{Cc}${extra}]`, 'gu');
  return noScheme(p.replace(LONE_SURROGATE, '\ufffd').replace(set, encodeURIComponent));
}

function positiveInt(n: number | undefined): number | undefined {
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

function markdownLink(img: ImageRef): string {
  // Brackets would end the link text, '&' start an entity, '|' split a table cell.
  // A backslash cannot stop '`', '<', '>' or '$' from closing a code span, HTML tag
  // or math span opened before the link, so those become entities.
  const alt = oneLine(img.alt)
    .replace(/[\\[\]&|]/g, '\\$&')
    .replace(/[`<>$]/g, (c) => `&#${c.charCodeAt(0)};`);
  const dest = urlPath(img.path, '`');
  const escaped = dest.replace(/[\\<>|]/g, '\\$&');
  // Like VS Code's own paste/drop: angle brackets when whitespace or parentheses would end the destination.
  const target = dest === '' || /[\s()<>]/.test(dest) ? `<${escaped}>` : escaped;
  return `![${alt}](${target})`;
}

function htmlAttr(value: string): string {
  return value.replace(/[&"<>{}]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;', '{': '&#123;', '}': '&#125;' })[c]!);
}

function htmlLink(img: ImageRef): string {
  const src = noScheme(encodeURI(img.path.replace(LONE_SURROGATE, '\ufffd')).replace(/[#?]/g, encodeURIComponent));
  const w = positiveInt(img.width);
  const h = positiveInt(img.height);
  const size = (w ? ` width="${w}"` : '') + (h ? ` height="${h}"` : '');
  // Self-closing so the same text is valid in JSX/TSX as well as HTML.
  return `<img src="${htmlAttr(src)}" alt="${htmlAttr(oneLine(img.alt))}"${size} />`;
}

function cssLink(img: ImageRef): string {
  return `url("${urlPath(img.path).replace(/["\\]/g, '\\$&')}")`;
}

function rstLink(img: ImageRef): string {
  // docutils drops unescaped whitespace from an image URI and reads '\' as an escape;
  // only a space survives escaping, so other whitespace and controls are percent-encoded.
  const uri = img.path
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/\p{Cc}|(?! )\s/gu, encodeURIComponent)
    .replace(/\\/g, '\\\\')
    .replace(/ /g, '\\ ');
  const lines = [`.. image:: ${uri}`];
  const alt = oneLine(img.alt);
  if (alt) lines.push(`   :alt: ${alt}`);
  const w = positiveInt(img.width);
  const h = positiveInt(img.height);
  if (w) lines.push(`   :width: ${w}`);
  if (h) lines.push(`   :height: ${h}`);
  return lines.join('\n');
}

function asciidocLink(img: ImageRef): string {
  // '[' would end the target and '{' start an attribute reference; spaces are encoded as in a URL.
  const target = urlPath(img.path, '\\s\\[\\]{');
  const attrs: string[] = [];
  // In a double-quoted value only `\"` is an escape; a trailing '\' would escape the closing quote.
  const alt = oneLine(img.alt)
    .replace(/\\+$/, '')
    .replace(/"/g, '\\"')
    .replace(/\{(?=\w[\w:!-]*\})/g, '\\{');
  attrs.push(alt ? `"${alt}"` : '');
  const w = positiveInt(img.width);
  const h = positiveInt(img.height);
  if (w) attrs.push(String(w));
  if (h) attrs.push(w ? String(h) : `height=${h}`);
  return `image::${target}[${attrs.join(',')}]`;
}

/** The text to insert for an image. rst and AsciiDoc results must start a line (see `needsOwnLine`). */
export function formatImageLink(style: LinkStyle, img: ImageRef): string {
  switch (style) {
    case 'markdown':
      return markdownLink(img);
    case 'html':
      return htmlLink(img);
    case 'css':
      return cssLink(img);
    case 'rst':
      return rstLink(img);
    case 'asciidoc':
      return asciidocLink(img);
    case 'path':
      return img.path;
  }
}
