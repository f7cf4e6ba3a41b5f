// Writing large answers piece by piece: an image's base64 stays a Buffer of its own instead of
// becoming part of one huge JSON string, and writes wait for the socket when it is full.
import type { ServerResponse } from 'node:http';

/** A JSON string value kept as its bytes, so a large answer is written without one huge string. */
export class JsonBytes {
  constructor(readonly bytes: Buffer) {}
}

/** JSON text as pieces to write in order; JsonBytes values become quoted pieces of their own. */
export function encodeJson(body: unknown): Buffer[] {
  const blobs: Buffer[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) => (value instanceof JsonBytes ? `\0${blobs.push(value.bytes) - 1}\0` : value));
  const QUOTE = Buffer.from('"');
  return text.split(/"\\u0000(\d+)\\u0000"/).flatMap((part, i) => (i % 2 ? [QUOTE, blobs[Number(part)], QUOTE] : [Buffer.from(part)]));
}

// The same image is often sent many times (noise renders are reused): encode it once.
const base64Cache = new WeakMap<Buffer, Buffer>();
export function base64Of(bytes: Buffer): JsonBytes {
  let encoded = base64Cache.get(bytes);
  if (!encoded) base64Cache.set(bytes, (encoded = Buffer.from(bytes.toString('base64'), 'latin1')));
  return new JsonBytes(encoded);
}

/** Removes both listeners once either fires: a long stream waits thousands of times. */
export function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** Waits `ms`, or less when the client hangs up first (no timer is left behind either way). */
export function delayOrClosed(res: ServerResponse, ms: number): Promise<void> {
  if (ms <= 0 || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/** Writes the pieces in order, waiting for 'drain' whenever the socket's buffer is full; false once the client is gone. */
export async function writePieces(res: ServerResponse, pieces: readonly Buffer[]): Promise<boolean> {
  for (const piece of pieces) {
    if (res.destroyed) return false;
    if (!res.write(piece)) await drainedOrClosed(res);
  }
  return !res.destroyed;
}
