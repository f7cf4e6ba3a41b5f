// Recognises image bytes by their signature and reads pixel dimensions from the headers,
// so a gateway's answer is trusted only when it really is an image.
import type { ImageFormat } from './catalog';

export interface SniffedImage {
  format: ImageFormat;
  width: number;
  height: number;
}

export function sniffImage(bytes: Uint8Array): SniffedImage | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = sniffPng(buf) ?? sniffJpeg(buf) ?? sniffWebp(buf);
  return found && found.width > 0 && found.height > 0 ? found : undefined;
}

export function extensionFor(format: ImageFormat): 'png' | 'jpg' | 'webp' {
  return format === 'jpeg' ? 'jpg' : format;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function sniffPng(buf: Buffer): SniffedImage | undefined {
  // Signature, then the IHDR chunk: length(4) "IHDR" width(4) height(4).
  if (buf.length < 24 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  if (buf.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { format: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

// Start-of-frame markers carry the dimensions; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function sniffJpeg(buf: Buffer): SniffedImage | undefined {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8 || buf[2] !== 0xff) return undefined;
  let i = 2;
  while (i + 3 < buf.length) {
    if (buf[i] !== 0xff) return undefined;
    const marker = buf[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan data before any frame header
    const length = buf.readUInt16BE(i + 2);
    if (length < 2) return undefined;
    if (SOF_MARKERS.has(marker)) {
      if (i + 9 > buf.length) return undefined;
      return { format: 'jpeg', height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  return undefined;
}

function sniffWebp(buf: Buffer): SniffedImage | undefined {
  if (buf.length < 30 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WEBP') return undefined;
  const chunk = buf.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') {
    // Key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
    if (buf[23] !== 0x9d || buf[24] !== 0x01 || buf[25] !== 0x2a) return undefined;
    return { format: 'webp', width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    // Signature 0x2f, then width-1 and height-1 as 14-bit fields.
    if (buf[20] !== 0x2f) return undefined;
    const bits = buf.readUInt32LE(21);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    // Flags(1) reserved(3), then canvas width-1 and height-1 as 24-bit fields.
    return { format: 'webp', width: buf.readUIntLE(24, 3) + 1, height: buf.readUIntLE(27, 3) + 1 };
  }
  return undefined;
}

/**
 * Decodes base64 (standard alphabet, optional padding, whitespace and a data: URL prefix tolerated);
 * undefined for anything else, where Buffer.from would silently skip the junk.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const body = text.replace(/^data:[\w/+.-]+;base64,/i, '').replace(/\s+/g, '');
  if (!body || body.length % 4 === 1 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
  if (body.includes('=') && body.length % 4 !== 0) return undefined;
  return Buffer.from(body, 'base64');
}
