// Talking to a sandbox over real HTTP from unit tests: posting JSON or a multipart edit and reading
// a streamed (server-sent events) answer as it arrives.
import sharp from 'sharp';
import type { Sandbox } from '../../tools/sandbox/server';

export interface SseEvent {
  event?: string;
  data: Record<string, unknown>;
}

export interface StreamedAnswer {
  status: number;
  contentType: string;
  /** Everything received, as text. */
  text: string;
  /** The 'data' reads, with when each arrived (ms since the request). */
  chunks: { text: string; at: number }[];
  /** Set when the body ended in an error (a cut connection). */
  error?: unknown;
  events: SseEvent[];
}

/** Events as a client sees them: comment lines skipped, CRLF or LF line endings. */
export function parseEvents(text: string): SseEvent[] {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n\n')
    .flatMap((block) => {
      const lines = block.split('\n').filter((l) => l && !l.startsWith(':'));
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
      if (!data.length) return [];
      return [
        { event: lines.find((l) => l.startsWith('event: '))?.slice(7), data: JSON.parse(data.join('\n')) as Record<string, unknown> },
      ];
    });
}

export function generationRequest(sb: Sandbox, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(`${sb.baseUrl}/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sb.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
}

export async function editRequest(sb: Sandbox, fields: Record<string, string>, width = 48, height = 32): Promise<Response> {
  const form = new FormData();
  const source = await sharp({ create: { width, height, channels: 4, background: { r: 40, g: 120, b: 200, alpha: 1 } } })
    .png()
    .toBuffer();
  form.append('image', new Blob([source], { type: 'image/png' }), 'source.png');
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return fetch(`${sb.baseUrl}/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${sb.key}` }, body: form });
}

/** Reads the whole body chunk by chunk, keeping what arrived before an error. */
export async function readStreamed(res: Response): Promise<StreamedAnswer> {
  const start = performance.now();
  const chunks: { text: string; at: number }[] = [];
  const decoder = new TextDecoder();
  let error: unknown;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push({ text: decoder.decode(chunk, { stream: true }), at: performance.now() - start });
    }
  } catch (err) {
    error = err;
  }
  const text = chunks.map((c) => c.text).join('');
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, chunks, error, events: parseEvents(text) };
}

export function imageOf(event: SseEvent): Buffer {
  return Buffer.from(String(event.data.b64_json), 'base64');
}
