// Byte helpers on Uint8Array for code that runs in both hosts. In Node they hand the work to Buffer
// (a Uint8Array itself, and the fastest base64 and text codecs there); in a browser worker, where
// there is no Buffer, to atob/btoa and TextDecoder. Callers see Uint8Array either way. The web build
// defines globalThis.Buffer as undefined (esbuild.js), so its bundle holds only the second kind.

type NodeBuffer = Uint8Array & {
  toString(encoding: string, start?: number, end?: number): string;
  write(text: string, offset: number, encoding: string): number;
};
interface NodeBufferClass {
  from(text: string, encoding: string): NodeBuffer;
  from(buffer: ArrayBufferLike, offset: number, length: number): NodeBuffer;
  from(bytes: Uint8Array): NodeBuffer;
  concat(list: readonly Uint8Array[]): NodeBuffer;
  allocUnsafeSlow(size: number): NodeBuffer;
}
/** Node's Buffer, or undefined in a browser worker. */
const NodeBuffer = (globalThis as { Buffer?: NodeBufferClass }).Buffer;

const asNode = (b: Uint8Array): NodeBuffer => NodeBuffer!.from(b.buffer, b.byteOffset, b.byteLength);

export const EMPTY = new Uint8Array(0);

export function concatBytes(list: readonly Uint8Array[]): Uint8Array {
  if (NodeBuffer) return NodeBuffer.concat(list);
  const out = new Uint8Array(list.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of list) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Bytes `from`..`to` as one character each (ISO-8859-1). */
export function latin1(bytes: Uint8Array, from = 0, to = bytes.length): string {
  if (NodeBuffer) return asNode(bytes).toString('latin1', from, to);
  let out = '';
  for (let i = from; i < to; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, Math.min(to, i + 0x8000)));
  return out;
}

export function fromLatin1(text: string): Uint8Array {
  if (NodeBuffer) return NodeBuffer.from(text, 'latin1');
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** UTF-8 text; malformed sequences become U+FFFD, as Buffer's toString does. */
export const utf8 = (bytes: Uint8Array): string => decoder.decode(bytes);
export const fromUtf8 = (text: string): Uint8Array => encoder.encode(text);

/** Standard base64 to bytes. Callers check the alphabet and length first: like Buffer, this skips junk. */
export function fromBase64(text: string): Uint8Array {
  if (NodeBuffer) return NodeBuffer.from(text, 'base64');
  return fromLatin1(atob(text.replace(/[^A-Za-z0-9+/]/g, '')));
}

export function toBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return asNode(bytes).toString('base64');
  return btoa(latin1(bytes));
}

/** Decodes base64 `text` into `target` at `offset`; the number of bytes written. */
export function base64Into(target: Uint8Array, offset: number, text: string): number {
  if (NodeBuffer) return asNode(target).write(text, offset, 'base64');
  const bytes = fromBase64(text);
  const n = Math.min(bytes.length, target.length - offset);
  target.set(bytes.subarray(0, n), offset);
  return n;
}

/** Big- and little-endian integers on the bytes' own memory (the DataView getters and setters). */
export const dataView = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** A copy that owns its memory (a Buffer's `slice` would be a view). */
export const copyBytes = (bytes: Uint8Array): Uint8Array => (NodeBuffer ? NodeBuffer.from(bytes) : bytes.slice());

/** Uninitialised in Node (it is filled before it is read), zeroed elsewhere. */
export function allocBytes(size: number): Uint8Array {
  return NodeBuffer ? NodeBuffer.allocUnsafeSlow(size) : new Uint8Array(size);
}
