// Places one XMP packet in a PNG, JPEG or WebP file and finds it again, without touching the pixels:
// only the container's chunks or segments are rewritten. Any structure that does not add up is refused
// (undefined), never guessed at, and a packet already there is replaced, not duplicated. Plain Uint8Array
// throughout: this runs in the web extension host too, which has no Buffer.
import { concatBytes, copyBytes, dataView, fromLatin1, latin1, startsWith } from './bytes';
import { PNG_SIGNATURE, sniffImage } from './images';

const PNG_XMP_KEYWORD = 'XML:com.adobe.xmp';
const JPEG_XMP_HEADER = fromLatin1('http://ns.adobe.com/xap/1.0/\0');
const WEBP_XMP_FLAG = 0x04;
const WEBP_ALPHA_FLAG = 0x10;
/**
 * The largest packet written or read: a JPEG APP1 segment holds at most 65533 bytes after its length,
 * 29 of them the XMP header, and one cap serves every format. A larger packet is not read.
 */
export const MAX_PACKET_BYTES = 65_504;

interface Part {
  type: string;
  /** Whole chunk or segment, header included. */
  start: number;
  end: number;
  /** Its payload. */
  data: Uint8Array;
}

export function embedXmp(buf: Uint8Array, packet: Uint8Array): Uint8Array | undefined {
  try {
    if (isPng(buf)) return embedPng(buf, packet);
    if (isJpeg(buf)) return embedJpeg(buf, packet);
    if (isWebp(buf)) return embedWebp(buf, packet);
  } catch {
    // A structure this reader missed: refused like any other broken file.
  }
  return undefined;
}

export function readXmp(buf: Uint8Array): string | undefined {
  try {
    const data = isPng(buf) ? pngPacket(buf) : isJpeg(buf) ? jpegPacket(buf) : isWebp(buf) ? webpPacket(buf) : undefined;
    return data && data.length <= MAX_PACKET_BYTES ? new TextDecoder('utf-8', { fatal: true }).decode(data) : undefined;
  } catch {
    return undefined;
  }
}

// PNG: length(4) type(4) data crc(4); the packet goes in an uncompressed iTXt chunk before the first IDAT.

const isPng = (buf: Uint8Array) => startsWith(buf, PNG_SIGNATURE);

function pngChunks(buf: Uint8Array): Part[] | undefined {
  const view = dataView(buf);
  const chunks: Part[] = [];
  let i = 8;
  while (i < buf.length) {
    if (i + 12 > buf.length) return undefined;
    const length = view.getUint32(i);
    const end = i + 12 + length;
    if (length > 0x7fffffff || end > buf.length) return undefined;
    const type = latin1(buf, i + 4, i + 8);
    chunks.push({ type, start: i, end, data: buf.subarray(i + 8, i + 8 + length) });
    i = end;
    if (type === 'IEND') break;
  }
  return chunks;
}

const PNG_XMP_PREFIX = fromLatin1(`${PNG_XMP_KEYWORD}\0`);
const isPngXmp = (c: Part) => c.type === 'iTXt' && startsWith(c.data, PNG_XMP_PREFIX);

function embedPng(buf: Uint8Array, packet: Uint8Array): Uint8Array | undefined {
  const chunks = pngChunks(buf);
  if (!chunks || chunks[0]?.type !== 'IHDR' || chunks.at(-1)?.type !== 'IEND') return undefined;
  const firstData = chunks.findIndex((c) => c.type === 'IDAT');
  if (firstData < 0) return undefined;
  // keyword\0, compression flag 0, method 0, empty language tag\0, empty translated keyword\0, UTF-8 text.
  const xmp = pngChunk('iTXt', concatBytes([PNG_XMP_PREFIX, new Uint8Array(4), packet]));
  const parts: Uint8Array[] = [PNG_SIGNATURE];
  chunks.forEach((c, index) => {
    if (index === firstData) parts.push(xmp);
    if (!isPngXmp(c)) parts.push(buf.subarray(c.start, c.end));
  });
  return concatBytes(parts);
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = dataView(out);
  view.setUint32(0, data.length);
  out.set(fromLatin1(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function pngPacket(buf: Uint8Array): Uint8Array | undefined {
  const chunk = pngChunks(buf)?.find(isPngXmp);
  // Too long to be a packet of ours: refused before any work is done on it.
  if (!chunk || chunk.data.length > PNG_XMP_PREFIX.length + 4 + MAX_PACKET_BYTES) return undefined;
  if (dataView(buf).getUint32(chunk.end - 4) !== crc32(buf.subarray(chunk.start + 4, chunk.end - 4))) return undefined;
  const rest = chunk.data.subarray(PNG_XMP_PREFIX.length);
  if (rest[0] !== 0) return undefined; // compressed: not one of ours
  const language = rest.indexOf(0, 2);
  const translated = language < 0 ? -1 : rest.indexOf(0, language + 1);
  return translated < 0 ? undefined : rest.subarray(translated + 1);
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG uses it); written here because the core also runs where node:zlib does not. */
export function crc32(data: Uint8Array): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// JPEG: marker segments up to the start of scan; the packet goes in an APP1 segment after SOI and any APP0 (JFIF).

const isJpeg = (buf: Uint8Array) => buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8;

/** The segments before the scan data, and where the scan starts. */
function jpegSegments(buf: Uint8Array): { segments: Part[]; scan: number } | undefined {
  const view = dataView(buf);
  const segments: Part[] = [];
  let i = 2;
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) return undefined;
    const marker = buf[i + 1]!;
    if (marker === 0xda) return { segments, scan: i };
    if (marker === 0xff || marker === 0xd8 || marker === 0xd9 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) return undefined;
    const length = view.getUint16(i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > buf.length) return undefined;
    segments.push({ type: marker.toString(16), start: i, end, data: buf.subarray(i + 4, end) });
    i = end;
  }
  return undefined;
}

const isJpegXmp = (s: Part) => s.type === 'e1' && startsWith(s.data, JPEG_XMP_HEADER);

function embedJpeg(buf: Uint8Array, packet: Uint8Array): Uint8Array | undefined {
  const found = jpegSegments(buf);
  if (!found) return undefined;
  const length = 2 + JPEG_XMP_HEADER.length + packet.length;
  if (length > 0xffff) return undefined;
  const header = new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff]);
  const leadingApp0 = found.segments.findIndex((s) => s.type !== 'e0');
  const at = leadingApp0 < 0 ? found.segments.length : leadingApp0;
  const parts: Uint8Array[] = [buf.subarray(0, 2)];
  found.segments.forEach((s, index) => {
    if (index === at) parts.push(header, JPEG_XMP_HEADER, packet);
    if (!isJpegXmp(s)) parts.push(buf.subarray(s.start, s.end));
  });
  if (at === found.segments.length) parts.push(header, JPEG_XMP_HEADER, packet);
  parts.push(buf.subarray(found.scan));
  return concatBytes(parts);
}

function jpegPacket(buf: Uint8Array): Uint8Array | undefined {
  return jpegSegments(buf)?.segments.find(isJpegXmp)?.data.subarray(JPEG_XMP_HEADER.length);
}

// WebP: RIFF size "WEBP", then chunks fourcc(4) size(4 LE) data, padded to even. The packet is an "XMP " chunk
// at the end of an extended (VP8X) file whose XMP flag is set; a simple file gains a VP8X chunk first.

const isWebp = (buf: Uint8Array) => buf.length >= 12 && latin1(buf, 0, 4) === 'RIFF' && latin1(buf, 8, 12) === 'WEBP';

function webpChunks(buf: Uint8Array): Part[] | undefined {
  const view = dataView(buf);
  const end = 8 + view.getUint32(4, true);
  if (end > buf.length || end % 2 !== 0) return undefined;
  const chunks: Part[] = [];
  let i = 12;
  while (i < end) {
    if (i + 8 > end) return undefined;
    const size = view.getUint32(i + 4, true);
    const next = i + 8 + size + (size % 2);
    if (next > end) return undefined;
    chunks.push({ type: latin1(buf, i, i + 4), start: i, end: next, data: buf.subarray(i + 8, i + 8 + size) });
    i = next;
  }
  return chunks.length ? chunks : undefined;
}

function embedWebp(buf: Uint8Array, packet: Uint8Array): Uint8Array | undefined {
  const chunks = webpChunks(buf);
  const first = chunks?.[0];
  if (!chunks || !first) return undefined;
  let vp8x: Uint8Array;
  let rest: Part[];
  if (first.type === 'VP8X') {
    if (first.data.length < 10) return undefined;
    vp8x = copyBytes(buf.subarray(first.start, first.end));
    vp8x[8] = vp8x[8]! | WEBP_XMP_FLAG;
    rest = chunks.slice(1);
  } else if (first.type === 'VP8 ' || first.type === 'VP8L') {
    const size = sniffImage(buf);
    if (!size) return undefined;
    // VP8L: signature byte, then 14-bit width-1, 14-bit height-1 and the alpha-is-used bit.
    const alpha = first.type === 'VP8L' && first.data.length >= 5 && (dataView(first.data).getUint32(1, true) >>> 28) & 1;
    const data = new Uint8Array(10);
    data[0] = WEBP_XMP_FLAG | (alpha ? WEBP_ALPHA_FLAG : 0);
    setUint24le(data, 4, size.width - 1);
    setUint24le(data, 7, size.height - 1);
    vp8x = webpChunk('VP8X', data);
    rest = chunks;
  } else {
    return undefined;
  }
  const body = [vp8x, ...rest.filter((c) => c.type !== 'XMP ').map((c) => buf.subarray(c.start, c.end)), webpChunk('XMP ', packet)];
  const out = concatBytes([fromLatin1('RIFF\0\0\0\0WEBP'), ...body]);
  dataView(out).setUint32(4, out.length - 8, true);
  return out;
}

function webpChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length + (data.length % 2));
  out.set(fromLatin1(type));
  dataView(out).setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}

/** VP8X's canvas width-1 and height-1: 24-bit little-endian. */
function setUint24le(bytes: Uint8Array, at: number, value: number): void {
  dataView(bytes).setUint16(at, value & 0xffff, true);
  bytes[at + 2] = value >>> 16;
}

function webpPacket(buf: Uint8Array): Uint8Array | undefined {
  return webpChunks(buf)?.find((c) => c.type === 'XMP ')?.data;
}
