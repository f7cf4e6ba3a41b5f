// POST /v1/images/edits for the sandbox: reads the multipart upload, records what arrived
// (so tests can check the files really went up) and answers with a rendered image like generations.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sharp from 'sharp';
import { DEFAULTS, parseSize } from '../../src/core/catalog';
import { sniffImage } from '../../src/core/images';
import { validateRequest } from '../../src/core/request';
import { fromRequestBody, readExtras, wireName } from './requestBody';
import { englishMessage } from '../../src/core/messages';
import { streamFault, type ParsedFault } from './faults';
import { readBody } from './body';
import { renderEdit, renderPartial } from './render';
import { sendStream, streamedQuality, usageOf } from './stream';

// Reference images may be large, so edits read their own body under a higher cap than JSON routes.
const MAX_EDIT_BYTES = 64 * 1024 * 1024;

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** What a test sees in `requests[i].json` for an edit. */
export interface EditSummary {
  fields: Record<string, string>;
  files: {
    field: string;
    filename?: string;
    contentType?: string;
    bytes: number;
    sha256: string;
    format?: string;
    width?: number;
    height?: number;
    /** Masks only: whether any pixel has alpha 0 (the area to change). */
    transparent?: boolean;
    /** Masks only: how many pixels have alpha 0, of how many, so a test can tell a painted area from an empty mask. */
    transparentPixels?: number;
    totalPixels?: number;
  }[];
}

/** The sandbox's hooks into the server it runs in. */
export interface EditContext {
  requests: { method: string; path: string; headers: Record<string, string | string[] | undefined>; json?: unknown; time: number }[];
  fault: ParsedFault | undefined;
  requestId: string;
  latencyMs?: number;
  /** The pause between streamed events, read before each one. */
  streamDelayMs(): number;
  answerFault(fault: ParsedFault | undefined, req: IncomingMessage, res: ServerResponse, ids: Record<string, string>): Promise<boolean>;
  authorized(req: IncomingMessage, res: ServerResponse, ids: Record<string, string>): boolean;
  sendAnswer(
    res: ServerResponse,
    req: IncomingMessage,
    body: unknown,
    fault: ParsedFault | undefined,
    headers: Record<string, string>,
  ): void;
}

/** A minimal multipart/form-data parser: enough for what clients send, not a general one. */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!/^multipart\/form-data/i.test(contentType ?? '') || !boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    at += delimiter.length;
    if (body.toString('latin1', at, at + 2) === '--') return parts;
    const headEnd = body.indexOf('\r\n\r\n', at);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headEnd);
    if (headEnd < 0 || next < 0) return undefined;
    const head = body.toString('utf8', at, headEnd);
    const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return undefined;
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1].trim();
    parts.push({
      name,
      data: body.subarray(headEnd + 4, next),
      ...(filename === undefined ? {} : { filename }),
      ...(type ? { contentType: type } : {}),
    });
    at = next + 2;
  }
}

async function maskCoverage(png: Buffer): Promise<{ transparent: boolean; transparentPixels: number; totalPixels: number }> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let transparentPixels = 0;
  for (let i = info.channels - 1; i < data.length; i += info.channels) if (data[i] === 0) transparentPixels++;
  return { transparent: transparentPixels > 0, transparentPixels, totalPixels: info.width * info.height };
}

async function summarize(parts: MultipartPart[]): Promise<EditSummary> {
  const summary: EditSummary = { fields: {}, files: [] };
  for (const p of parts) {
    if (p.filename === undefined) {
      summary.fields[p.name] = p.data.toString('utf8');
      continue;
    }
    const sniffed = sniffImage(p.data);
    summary.files.push({
      field: p.name,
      filename: p.filename,
      contentType: p.contentType,
      bytes: p.data.length,
      sha256: createHash('sha256').update(p.data).digest('hex'),
      ...(sniffed ?? {}),
      ...(p.name === 'mask' && sniffed?.format === 'png' ? await maskCoverage(p.data) : {}),
    });
  }
  return summary;
}

function fail(res: ServerResponse, status: number, message: string, param: string | null, headers: Record<string, string>): void {
  const text = JSON.stringify({ error: { message, type: 'invalid_request_error', param, code: 'invalid_value' } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function edits(req: IncomingMessage, res: ServerResponse, ctx: EditContext): Promise<void> {
  const headers = { 'x-request-id': ctx.requestId };
  const raw = await readBody(req, MAX_EDIT_BYTES);
  const record = {
    method: req.method ?? '',
    path: req.url ?? '',
    headers: { ...req.headers },
    json: undefined as unknown,
    time: Date.now(),
  };
  ctx.requests.push(record);
  if (raw === undefined) return fail(res, 413, 'Request body too large.', null, headers);
  // Recorded before any fault answers, so a test can see which form fields were sent either way.
  const parts = parseMultipart(raw, req.headers['content-type']);
  const summary = parts && (await summarize(parts));
  record.json = summary;
  if (ctx.latencyMs) await new Promise((r) => setTimeout(r, ctx.latencyMs));
  if (await ctx.answerFault(ctx.fault, req, res, headers)) return;
  if (!ctx.authorized(req, res, headers)) return;
  if (!parts || !summary) return fail(res, 400, 'Send the edit as multipart/form-data.', null, headers);
  const images = parts.filter((p) => p.name === 'image' || p.name === 'image[]');
  const first = images.length ? sniffImage(images[0].data) : undefined;
  if (!first) return fail(res, 400, 'Send at least one PNG, JPEG or WebP file as image or image[].', 'image', headers);
  const f = summary.fields;
  const asked = fromRequestBody({ ...f, ...(f.n === undefined ? {} : { n: Number(f.n) }) }, DEFAULTS.model);
  const checked = validateRequest(asked);
  if (!checked.ok) return fail(res, 400, englishMessage(checked.error), wireName(checked.field), headers);
  const { model, prompt, size, outputFormat = 'png', n = 1 } = checked.value;
  const extras = readExtras(f, outputFormat);
  if (!extras.ok) return fail(res, 400, extras.message, extras.param, headers);
  const { background, output_compression: compression } = extras.value;
  const { width, height } = (size && parseSize(size)) || first;
  const mask = parts.find((p) => p.name === 'mask' && sniffImage(p.data)?.format === 'png')?.data;
  const spec = { prompt, width, height, format: outputFormat, model, total: n, background, compression };
  const render = (index: number) => renderEdit(images[0].data, mask, { ...spec, index });
  // Each reference image is billed as image tokens; a flat count per image is enough here.
  const imageTokens = images.length * 65;
  if (extras.value.stream && ctx.fault?.type !== 'streamJson') {
    return sendStream(req, res, {
      kind: 'image_edit',
      count: n,
      partials: extras.value.partial_images,
      meta: { size: `${width}x${height}`, quality: streamedQuality(checked.value.quality), background, output_format: outputFormat },
      render,
      partial: (final, index, count) => renderPartial(final, { width, height, format: outputFormat, compression, index, count }),
      usage: usageOf(prompt, 1, {
        imageTokens,
        size: `${width}x${height}`,
        quality: checked.value.quality,
        partials: extras.value.partial_images,
      }),
      delayMs: ctx.streamDelayMs,
      headers,
      fault: streamFault(ctx.fault),
    });
  }
  const data = [];
  for (let index = 0; index < n; index++) data.push({ b64_json: (await render(index)).toString('base64') });
  ctx.sendAnswer(
    res,
    req,
    {
      created: Math.floor(Date.now() / 1000),
      data,
      usage: usageOf(prompt, n, { imageTokens, size: `${width}x${height}`, quality: checked.value.quality }),
    },
    ctx.fault,
    headers,
  );
}
