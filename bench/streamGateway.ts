// A gateway that streams, in a process of its own: noise images rendered once, then served as
// Server-Sent Events (each image's partial images, then the image) or as one JSON answer. Every
// partial image is the final image's own bytes: as large as a preview can be. Before the first
// partial image it stamps the time (epoch ms, sub-millisecond) in `x-request-id`, which the client
// logs, and writes that event with the headers, so the bench can tell how long it took to reach the view.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderNoise } from '../tools/sandbox/render';

export interface StreamGatewayInfo {
  baseUrl: string;
}

const now = () => performance.timeOrigin + performance.now();
const images = new Map<string, Promise<Buffer>>();

function image(size: string, index: number): Promise<Buffer> {
  const key = `${size}/${index}`;
  let bytes = images.get(key);
  if (!bytes) {
    const [width, height] = size.split('x').map(Number) as [number, number];
    images.set(key, (bytes = renderNoise({ width, height, format: 'png' })));
  }
  return bytes;
}

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

async function write(res: http.ServerResponse, text: string): Promise<void> {
  if (!res.write(text)) await new Promise((r) => res.once('drain', r));
}

const server = http.createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  const ask = JSON.parse(body) as { size: string; n?: number; stream?: boolean; partial_images?: number };
  const n = ask.n ?? 1;
  const bytes = await Promise.all(Array.from({ length: n }, (_, i) => image(ask.size, i)));
  const b64 = bytes.map((b) => b.toString('base64'));
  if (!ask.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ created: 1, data: b64.map((b64_json) => ({ b64_json })) }));
  }
  const partials = ask.partial_images ?? 0;
  const first = partials > 0 ? event('image_generation.partial_image', { b64_json: b64[0], partial_image_index: 0 }) : '';
  res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': String(now()) });
  if (first) await write(res, first);
  for (let i = 0; i < n; i++) {
    for (let p = i === 0 ? 1 : 0; p < partials; p++) {
      await write(res, event('image_generation.partial_image', { b64_json: b64[i], partial_image_index: p }));
    }
    await write(res, event('image_generation.completed', { b64_json: b64[i], usage: { output_tokens: 1 } }));
  }
  res.end();
});

process.on('message', (m: { size: string; n: number }) => {
  // Render a workload's images before anything is timed.
  void Promise.all(Array.from({ length: m.n }, (_, i) => image(m.size, i))).then(() => process.send!('ready'));
});
process.once('disconnect', () => server.close(() => process.exit(0)));
server.listen(0, '127.0.0.1', () => {
  const info: StreamGatewayInfo = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
  process.send!(info);
});
