// Draws a stand-in image of exactly the asked size and format, showing the prompt and the size,
// so what lands in a document is recognisable at a glance.
import { randomBytes } from 'node:crypto';
import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import type { ImageFormat } from '../../src/core/catalog';
import type { Background } from './requestBody';

export interface RenderSpec {
  prompt: string;
  width: number;
  height: number;
  format: ImageFormat;
  model: string;
  /** 0-based position among the n images of one request; varies the colours. */
  index: number;
  total: number;
  /** The footer's size, when the card is only part of the image (an edit's painted area). */
  imageSize?: string;
  /** transparent: only the card is drawn, on fully transparent pixels (png and webp). */
  background?: Background;
  /** output_compression: the jpeg/webp encoder's quality. */
  compression?: number;
}

type Encoding = Pick<RenderSpec, 'format' | 'compression'>;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function hue(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)!) % 360;
  return h;
}

/** Greedy word wrap by an estimated glyph width; the last kept line ends in "…" when text is cut. */
export function wrapText(text: string, maxChars: number, maxLines: number): string[] {
  const words = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(' ')
    .flatMap((w) => w.match(new RegExp(`.{1,${maxChars}}`, 'gu')) ?? []);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= maxChars) {
      line = next;
      continue;
    }
    lines.push(line);
    line = word;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1].slice(0, Math.max(0, maxChars - 1))}…`;
  return kept;
}

export function svgFor(spec: RenderSpec): string {
  const { width: w, height: h } = spec;
  const base = (hue(spec.prompt) + spec.index * 47) % 360;
  const unit = Math.min(w, h);
  const pad = Math.round(unit * 0.08);
  const font = Math.max(10, Math.round(unit / 16));
  const small = Math.max(8, Math.round(font * 0.6));
  const cardW = w - pad * 2;
  const cardH = h - pad * 2;
  const textTop = pad + Math.round(font * 1.6);
  const lineHeight = Math.round(font * 1.3);
  const maxLines = Math.max(1, Math.floor((cardH - font * 1.6 - small * 3) / lineHeight));
  const lines = wrapText(spec.prompt, Math.max(4, Math.floor((cardW - font) / (font * 0.56))), maxLines);
  const counter = spec.total > 1 ? ` · ${spec.index + 1}/${spec.total}` : '';
  const footer = `${spec.imageSize ?? `${w}×${h}`} · ${spec.format.toUpperCase()} · ${spec.model}${counter}`;
  // Transparent: no backdrop, and the card is painted opaque with the backdrop's gradient.
  const clear = spec.background === 'transparent';
  const backdrop = `<rect width="${w}" height="${h}" fill="url(#bg)"/>
  <circle cx="${w * 0.85}" cy="${h * 0.15}" r="${unit * 0.35}" fill="#fff" fill-opacity="0.10"/>
  <circle cx="${w * 0.1}" cy="${h * 0.92}" r="${unit * 0.25}" fill="#fff" fill-opacity="0.08"/>`;
  const card = clear ? 'fill="url(#bg)"' : 'fill="#10131a" fill-opacity="0.45"';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${base},62%,58%)"/>
      <stop offset="1" stop-color="hsl(${(base + 70) % 360},58%,32%)"/>
    </linearGradient>
  </defs>
  ${clear ? '' : backdrop}
  <rect x="${pad}" y="${pad}" width="${cardW}" height="${cardH}" rx="${Math.round(unit * 0.04)}" ${card}/>
  <g font-family="DejaVu Sans, Helvetica, Arial, sans-serif" fill="#fff">
    ${lines
      .map((l, i) => `<text x="${pad + font / 2}" y="${textTop + i * lineHeight}" font-size="${font}">${escapeXml(l)}</text>`)
      .join('\n    ')}
    <text x="${pad + font / 2}" y="${h - pad - small}" font-size="${small}" fill-opacity="0.85">${escapeXml(footer)}</text>
  </g>
</svg>`;
}

/** PNG ignores output_compression, as OpenAI does; it only sets jpeg's and webp's quality. */
function encode(image: Sharp, { format, compression }: Encoding): Promise<Buffer> {
  if (format === 'jpeg') return image.jpeg({ quality: compression ?? 85 }).toBuffer();
  // sharp takes 1-100.
  if (format === 'webp') return image.webp({ quality: Math.max(1, compression ?? 80) }).toBuffer();
  return image.png({ compressionLevel: 4 }).toBuffer();
}

export function renderImage(spec: RenderSpec): Promise<Buffer> {
  return encode(sharp(Buffer.from(svgFor(spec))).resize(spec.width, spec.height, { fit: 'fill' }), spec);
}

export interface PartialSpec extends Encoding {
  width: number;
  height: number;
  /** 0-based, of `count` partial images for one picture. */
  index: number;
  count: number;
}

/**
 * A streamed preview of `final`: the picture shrunk and blown up again, coarser for earlier
 * previews (1/18 of the size for the first of three, 1/2.6 for the last), labelled "preview i/n",
 * in the final picture's size and format. Holds one raw picture in memory at a time.
 */
export async function renderPartial(final: Buffer, spec: PartialSpec): Promise<Buffer> {
  const { width, height, index, count } = spec;
  const divisor = Math.max(2, 48 ** (1 - (index + 1) / (count + 1)));
  const small = await sharp(final)
    .resize(Math.max(1, Math.round(width / divisor)), Math.max(1, Math.round(height / divisor)), { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const blurred = sharp(small.data, { raw: small.info }).resize(width, height, { fit: 'fill', kernel: 'cubic' });
  return encode(blurred.composite([previewLabel(width, height, `preview ${index + 1}/${count}`)]), spec);
}

/** An opaque tag for the middle of the picture. */
function previewLabel(width: number, height: number, text: string): OverlayOptions {
  const w = Math.max(1, Math.round(width * 0.5));
  const h = Math.max(1, Math.round(Math.min(height * 0.2, w / 4)));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <rect width="${w}" height="${h}" rx="${Math.round(h / 5)}" fill="#10131a"/>
  <text x="${w / 2}" y="${h * 0.7}" font-size="${h * 0.6}" text-anchor="middle" textLength="${w * 0.8}" lengthAdjust="spacingAndGlyphs"
    font-family="DejaVu Sans, Helvetica, Arial, sans-serif" fill="#fff">${escapeXml(text)}</text>
</svg>`;
  return { input: Buffer.from(svg), left: Math.round((width - w) / 2), top: Math.round((height - h) / 2) };
}

/**
 * An edit's stand-in: the source picture at the asked size with a prompt card drawn into the area
 * the edit may change (the mask's transparent pixels, or the middle of the picture without a
 * mask), so a demo shows its own picture coming back changed where it was painted.
 */
export async function renderEdit(source: Buffer, mask: Buffer | undefined, spec: RenderSpec): Promise<Buffer> {
  const { width, height } = spec;
  // Transparent keeps the source's own alpha, so a cut-out stays cut out.
  const resized = sharp(source).resize(width, height, { fit: 'cover' });
  const base = spec.background === 'transparent' ? resized.ensureAlpha() : resized.removeAlpha();
  const alpha = mask
    ? await sharp(mask).resize(width, height, { fit: 'fill' }).ensureAlpha().extractChannel(3).negate().raw().toBuffer()
    : middle(width, height);
  const box = boundingBox(alpha, width, height);
  if (!box) return encode(base, spec);
  const size = { width: box.width, height: box.height };
  const card = await sharp(Buffer.from(svgFor({ ...spec, ...size, background: 'opaque', imageSize: `${width}×${height} edit` })))
    .resize(size.width, size.height, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer();
  const cut = await sharp(alpha, { raw: { width, height, channels: 1 } })
    .extract(box)
    .raw()
    .toBuffer();
  const overlay = await sharp(card, { raw: { ...size, channels: 3 } })
    .joinChannel(cut, { raw: { ...size, channels: 1 } })
    .png()
    .toBuffer();
  return encode(base.composite([{ input: overlay, left: box.left, top: box.top }]), spec);
}

/** An opaque box over the middle 60% of each side, as one alpha channel. */
function middle(width: number, height: number): Buffer {
  const alpha = Buffer.alloc(width * height);
  const [x0, x1, y0, y1] = [width * 0.2, width * 0.8, height * 0.2, height * 0.8].map(Math.round);
  for (let y = y0; y < y1; y++) alpha.fill(255, y * width + x0, y * width + x1);
  return alpha;
}

/** The smallest box holding every pixel whose alpha is over half; undefined when there is none. */
function boundingBox(alpha: Buffer, width: number, height: number) {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (alpha[y * width + x]! < 128) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  return right < 0 ? undefined : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * Random pixels of exactly the asked size: unlike the card above they do not compress, so the
 * body is as large as a detailed photo's. Used by the benchmark, which needs realistic sizes.
 */
export async function renderNoise(spec: Pick<RenderSpec, 'width' | 'height' | 'format'>): Promise<Buffer> {
  const { width, height } = spec;
  const image = sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } });
  if (spec.format === 'jpeg') return image.jpeg({ quality: 85 }).toBuffer();
  if (spec.format === 'webp') return image.webp({ quality: 80 }).toBuffer();
  return image.png({ compressionLevel: 1 }).toBuffer();
}
