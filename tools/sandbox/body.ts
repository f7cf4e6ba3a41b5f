import type { IncomingMessage } from 'node:http';

/** The whole request body, or undefined when it is over `maxBytes` (read to the end either way). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (c: Buffer) => {
      total += c.length;
      if (total <= maxBytes) chunks.push(c);
    });
    req.on('end', () => resolve(total > maxBytes ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
