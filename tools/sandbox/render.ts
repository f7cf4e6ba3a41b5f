// Draws a stand-in image of exactly the asked size and format, showing the prompt and the size,
// so what lands in a document is recognisable at a glance.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { ImageFormat } from '../../src/core/catalog';

export interface RenderSpec {
  prompt: string;
  width: number;
  height: number;
  format: ImageFormat;
  model: string;
  /** 0-based position among the n images of one request; varies the colours. */
  index: number;
  total: number;
}

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
  const footer = `${w}×${h} · ${spec.format.toUpperCase()} · ${spec.model}${counter}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${base},62%,58%)"/>
      <stop offset="1" stop-color="hsl(${(base + 70) % 360},58%,32%)"/>
    </linearGradient>
  </defs>
  <rect width="${w}" height="${h}" fill="url(#bg)"/>
  <circle cx="${w * 0.85}" cy="${h * 0.15}" r="${unit * 0.35}" fill="#fff" fill-opacity="0.10"/>
  <circle cx="${w * 0.1}" cy="${h * 0.92}" r="${unit * 0.25}" fill="#fff" fill-opacity="0.08"/>
  <rect x="${pad}" y="${pad}" width="${cardW}" height="${cardH}" rx="${Math.round(unit * 0.04)}" fill="#10131a" fill-opacity="0.45"/>
  <g font-family="DejaVu Sans, Helvetica, Arial, sans-serif" fill="#fff">
    ${lines
      .map((l, i) => `<text x="${pad + font / 2}" y="${textTop + i * lineHeight}" font-size="${font}">${escapeXml(l)}</text>`)
      .join('\n    ')}
    <text x="${pad + font / 2}" y="${h - pad - small}" font-size="${small}" fill-opacity="0.85">${escapeXml(footer)}</text>
  </g>
</svg>`;
}

export async function renderImage(spec: RenderSpec): Promise<Buffer> {
  const image = sharp(Buffer.from(svgFor(spec))).resize(spec.width, spec.height, { fit: 'fill' });
  if (spec.format === 'jpeg') return image.jpeg({ quality: 85 }).toBuffer();
  if (spec.format === 'webp') return image.webp({ quality: 80 }).toBuffer();
  return image.png({ compressionLevel: 4 }).toBuffer();
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
