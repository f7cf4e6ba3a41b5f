// Recognises image bytes by their signature and reads pixel dimensions from the headers,
// so a gateway's answer is trusted only when it really is an image.
import { dataView, fromBase64, latin1, startsWith } from './bytes';
import type { ImageFormat } from './catalog';

export interface SniffedImage {
  format: ImageFormat;
  width: number;
  height: number;
}

export function sniffImage(bytes: Uint8Array): SniffedImage | undefined {
  const buf = new Reader(bytes);
  const found = sniffPng(buf) ?? sniffJpeg(buf) ?? sniffWebp(buf);
  return found && found.width > 0 && found.height > 0 ? found : undefined;
}

export function extensionFor(format: ImageFormat): 'png' | 'jpg' | 'webp' {
  return format === 'jpeg' ? 'jpg' : format;
}

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The few reads the sniffers make, on any Uint8Array. */
class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = dataView(bytes);
  }
  get length(): number {
    return this.bytes.length;
  }
  at(i: number): number {
    return this.bytes[i] ?? -1;
  }
  text(from: number, to: number): string {
    return latin1(this.bytes, from, to);
  }
  u16be = (i: number) => this.view.getUint16(i);
  u32be = (i: number) => this.view.getUint32(i);
  u16le = (i: number) => this.view.getUint16(i, true);
  u32le = (i: number) => this.view.getUint32(i, true);
  u24le = (i: number) => this.view.getUint16(i, true) + this.view.getUint8(i + 2) * 0x10000;
}

function sniffPng(buf: Reader): SniffedImage | undefined {
  // Signature, then the IHDR chunk: length(4) "IHDR" width(4) height(4).
  if (buf.length < 24 || !startsWith(buf.bytes, PNG_SIGNATURE)) return undefined;
  if (buf.text(12, 16) !== 'IHDR') return undefined;
  return { format: 'png', width: buf.u32be(16), height: buf.u32be(20) };
}

// Start-of-frame markers carry the dimensions; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function sniffJpeg(buf: Reader): SniffedImage | undefined {
  if (buf.length < 4 || buf.at(0) !== 0xff || buf.at(1) !== 0xd8 || buf.at(2) !== 0xff) return undefined;
  let i = 2;
  while (i + 3 < buf.length) {
    if (buf.at(i) !== 0xff) return undefined;
    const marker = buf.at(i + 1);
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan data before any frame header
    const length = buf.u16be(i + 2);
    if (length < 2) return undefined;
    if (SOF_MARKERS.has(marker)) {
      if (i + 9 > buf.length) return undefined;
      return { format: 'jpeg', height: buf.u16be(i + 5), width: buf.u16be(i + 7) };
    }
    i += 2 + length;
  }
  return undefined;
}

function sniffWebp(buf: Reader): SniffedImage | undefined {
  if (buf.length < 30 || buf.text(0, 4) !== 'RIFF' || buf.text(8, 12) !== 'WEBP') return undefined;
  const chunk = buf.text(12, 16);
  if (chunk === 'VP8 ') {
    // Key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
    if (buf.at(23) !== 0x9d || buf.at(24) !== 0x01 || buf.at(25) !== 0x2a) return undefined;
    return { format: 'webp', width: buf.u16le(26) & 0x3fff, height: buf.u16le(28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    // Signature 0x2f, then width-1 and height-1 as 14-bit fields.
    if (buf.at(20) !== 0x2f) return undefined;
    const bits = buf.u32le(21);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    // Flags(1) reserved(3), then canvas width-1 and height-1 as 24-bit fields.
    return { format: 'webp', width: buf.u24le(24) + 1, height: buf.u24le(27) + 1 };
  }
  return undefined;
}

/**
 * Decodes base64 (standard alphabet, optional padding, whitespace and a data: URL prefix tolerated);
 * undefined for anything else, where Buffer.from would silently skip the junk.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const body = text.replace(/^data:[\w/+.-]+;base64,/i, '').replace(/\s+/g, '');
  if (!body || body.length % 4 === 1 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
  if (body.includes('=') && body.length % 4 !== 0) return undefined;
  return fromBase64(body);
}
