// A local OpenAI-compatible images gateway for development and tests: real images, real HTTP,
// and a queue of faults that make it misbehave the ways real gateways do.
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { DEFAULTS, MODELS, parseSize, type ImageFormat } from '../../src/core/catalog';
import { extensionFor } from '../../src/core/images';
import { validateRequest } from '../../src/core/request';
import { fromRequestBody, readExtras, wireName } from './requestBody';
import { englishMessage } from '../../src/core/messages';
import { faultSchema, routeOf, streamFault, type Fault, type FaultRoute, type ParsedFault, type UrlFault } from './faults';
import { readBody } from './body';
import { renderImage, renderNoise, renderPartial } from './render';
import { base64Of, drainedOrClosed, encodeJson, type JsonBytes } from './json';
import { sendStream, streamedQuality, usageOf } from './stream';
import { taskRoutes } from './tasks';
import { edits } from './edits';
import { allowBrowsers, faultRouteOf } from './cors';

export type { Fault } from './faults';

export interface SandboxOptions {
  /** 0 or absent: any free port. */
  port?: number;
  key?: string;
  responseFormat?: 'b64_json' | 'url';
  /** Added before every generation answer. */
  latencyMs?: number;
  /** Random-pixel images, rendered once per size, format and index, then reused (for benchmarks). */
  noise?: boolean;
  /** What GET /v1/models lists, as a gateway with its own models would; default the catalog's ids. */
  models?: readonly string[];
  /** Pause between the events of a streamed answer (default 0); also set through POST /__sandbox/pace. */
  streamDelayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** All of them, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  json?: unknown;
  time: number;
}

export interface Sandbox {
  /** Ends in /v1. */
  baseUrl: string;
  key: string;
  port: number;
  close(): Promise<void>;
  enqueue(...faults: Fault[]): void;
  /** Clears faults, recorded requests, served files and the request id counter (not the stream pace). */
  reset(): void;
  /** The pause between streamed events from now on. */
  setStreamDelay(ms: number): void;
  requests: RecordedRequest[];
}

export const DEFAULT_SANDBOX_KEY = 'sk-sandbox-local';
const MAX_REQUEST_BYTES = 1024 * 1024;

interface StoredFile {
  bytes: Buffer;
  format: ImageFormat;
  fault?: UrlFault;
}

function errorBody(message: string, type: string, code: string | number | null = null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

// Shared by every sandbox in the process: a 4K noise image takes a second to render.
const noiseCache = new Map<string, Promise<Buffer>>();
function noise(width: number, height: number, format: ImageFormat, index: number): Promise<Buffer> {
  const key = `${width}x${height}.${format}.${index}`;
  let bytes = noiseCache.get(key);
  if (!bytes) {
    if (noiseCache.size >= 64) noiseCache.clear();
    noiseCache.set(key, (bytes = renderNoise({ width, height, format })));
  }
  return bytes;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function retryHeaders(fault: { retryAfter?: number | string; retryAfterMs?: number }): Record<string, string> {
  const h: Record<string, string> = {};
  if (fault.retryAfter !== undefined) h['retry-after'] = String(fault.retryAfter);
  if (fault.retryAfterMs !== undefined) h['retry-after-ms'] = String(fault.retryAfterMs);
  return h;
}

/** POST /__sandbox/pace: the pause between streamed events. */
const paceSchema = z.object({ ms: z.number().int().min(0).max(60_000) });

function parseOrUndefined(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const key = opts.key ?? DEFAULT_SANDBOX_KEY;
  const defaultFormat = opts.responseFormat ?? 'b64_json';
  let faults: ParsedFault[] = [];
  const requests: RecordedRequest[] = [];
  const files = new Map<string, StoredFile>();
  let origin = '';
  let counter = 0;
  let streamDelayMs = opts.streamDelayMs ?? 0;
  const tasks = taskRoutes({ responseFormat: defaultFormat, takeFault: () => takeFault('tasks'), authorized, origin: () => origin });

  function enqueue(...items: Fault[]): void {
    faults.push(...items.map((f) => faultSchema.parse(f)));
  }

  /** The next fault queued for `route`; with `only`, taken only when it is of that type. */
  function takeFault(route: FaultRoute, only?: ParsedFault['type']): ParsedFault | undefined {
    const i = faults.findIndex((f) => routeOf(f) === route);
    return i < 0 || (only && faults[i]!.type !== only) ? undefined : faults.splice(i, 1)[0];
  }

  /** Faults that replace the answer entirely; true when the request has been dealt with. `ids` go on every answer. */
  async function answerFault(
    fault: ParsedFault | undefined,
    req: IncomingMessage,
    res: ServerResponse,
    ids: Record<string, string> = {},
  ): Promise<boolean> {
    switch (fault?.type) {
      case 'status': {
        const body = errorBody(
          fault.message ?? http.STATUS_CODES[fault.status] ?? 'Error',
          fault.errorType ?? 'invalid_request_error',
          fault.code ?? null,
          fault.param ?? null,
        );
        sendJson(res, fault.status, body, { ...ids, ...retryHeaders(fault) });
        return true;
      }
      case 'html': {
        const title = fault.title ?? `${fault.status} ${http.STATUS_CODES[fault.status] ?? 'A timeout occurred'}`;
        const page = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>sandbox-proxy</center></body></html>`;
        res.writeHead(fault.status, { 'content-type': 'text/html', ...ids, ...retryHeaders(fault) });
        res.end(page);
        return true;
      }
      case 'redirect':
        res.writeHead(fault.status, { location: fault.location, ...ids });
        res.end();
        return true;
      case 'hang':
        return true;
      case 'drop':
        req.socket.destroy();
        return true;
      case 'echoAuth':
        sendJson(
          res,
          fault.status,
          errorBody(`Invalid token: ${req.headers.authorization ?? '(none)'}`, 'invalid_request_error', 'invalid_api_key'),
          ids,
        );
        return true;
      case 'malformedJson':
        res.writeHead(200, { 'content-type': 'application/json', ...ids });
        res.end('{"created": 1777105463, "data": [{"b64_json": "iVBOR');
        return true;
      case 'wrongShape':
        sendJson(res, 200, { object: 'list', result: { images: [] } }, ids);
        return true;
      case 'delay':
        await delay(fault.ms);
        return false;
      default:
        return false;
    }
  }

  function authorized(req: IncomingMessage, res: ServerResponse, ids: Record<string, string> = {}): boolean {
    if (req.headers.authorization === `Bearer ${key}`) return true;
    const given = /^Bearer\s+(\S+)/.exec(req.headers.authorization ?? '')?.[1];
    const message = given
      ? `Incorrect API key provided: ${given.slice(0, 3)}***${given.slice(-4)}. Use the sandbox key.`
      : 'You didn\'t provide an API key. Send it as "Authorization: Bearer <key>".';
    sendJson(res, 401, errorBody(message, 'invalid_request_error', 'invalid_api_key'), ids);
    return false;
  }

  /** Sends a JSON answer, or a damaged version of it. */
  function sendAnswer(
    res: ServerResponse,
    req: IncomingMessage,
    body: unknown,
    fault: ParsedFault | undefined,
    headers: Record<string, string>,
  ): void {
    const pieces = encodeJson(body);
    const length = pieces.reduce((sum, p) => sum + p.length, 0);
    if (fault?.type !== 'truncatedJson' && fault?.type !== 'cutMidBody') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': length, ...headers });
      // Corked, the pieces leave as one write rather than one small TCP segment each.
      res.cork();
      for (const piece of pieces) res.write(piece);
      res.uncork();
      return void res.end();
    }
    const text = Buffer.concat(pieces, length);
    const half = text.subarray(0, Math.floor(text.length / 2));
    if (fault?.type === 'truncatedJson') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': half.length, ...headers });
      res.end(half);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length, ...headers });
      res.write(half, () => req.socket.destroy());
    }
  }

  async function generations(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const fault = takeFault('generations');
    // Real gateways send a request id with errors too; it is what a user quotes to support.
    const headers = { 'x-request-id': `req_sandbox_${++counter}` };
    if (opts.latencyMs) await delay(opts.latencyMs);
    if (await answerFault(fault, req, res, headers)) return;
    if (!authorized(req, res, headers)) return;
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(raw.toString('utf8'));
      if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('not an object');
    } catch {
      return sendJson(res, 400, errorBody('We could not parse the JSON body of your request.', 'invalid_request_error'));
    }
    const checked = validateRequest(fromRequestBody(json, DEFAULTS.model));
    if (!checked.ok) {
      return sendJson(
        res,
        400,
        errorBody(englishMessage(checked.error), 'invalid_request_error', 'invalid_value', wireName(checked.field)),
      );
    }
    const { model, prompt, size = 'auto', outputFormat, n = 1 } = checked.value;
    const extras = readExtras(json, outputFormat ?? 'png');
    if (!extras.ok) return sendJson(res, 400, errorBody(extras.message, 'invalid_request_error', 'invalid_value', extras.param), headers);
    const { background, output_compression: compression } = extras.value;
    const streamed = extras.value.stream && fault?.type !== 'streamJson';
    if (fault?.type === 'emptyData' && !streamed) return sendJson(res, 200, { created: now(), data: [] }, headers);
    const asked = json.response_format === 'url' || json.response_format === 'b64_json' ? json.response_format : defaultFormat;
    const urlFault = fault?.type.startsWith('url') ? (fault as UrlFault) : undefined;
    const format: ImageFormat = fault?.type === 'otherFormat' ? fault.format : (outputFormat ?? 'png');
    const { width, height } = parseSize(size) ?? { width: 1024, height: 1024 };
    const many = fault?.type === 'tooManyImages' ? fault : undefined;
    const count = fault?.type === 'emptyData' ? 0 : (many?.count ?? n);
    let first: Buffer | undefined;
    const render = async (index: number) =>
      (first =
        fault?.type === 'notImage'
          ? Buffer.from('<html>This is not an image.</html>')
          : many && first
            ? first // thousands of copies of one picture: cheap to send, and what a runaway gateway looks like
            : opts.noise
              ? await noise(width, height, format, index)
              : await renderImage({ prompt, width, height, format, model, index, total: n, background, compression }));
    if (streamed) {
      return sendStream(req, res, {
        kind: 'image_generation',
        count,
        partials: extras.value.partial_images,
        meta: { size: `${width}x${height}`, quality: streamedQuality(checked.value.quality), background, output_format: format },
        render,
        partial: (final, index, total) =>
          fault?.type === 'notImage'
            ? Promise.resolve(final)
            : renderPartial(final, { width, height, format, compression, index, count: total }),
        usage: usageOf(prompt, 1, { size: `${width}x${height}`, quality: checked.value.quality, partials: extras.value.partial_images }),
        delayMs: () => streamDelayMs,
        headers,
        fault: streamFault(fault),
      });
    }
    const data = [];
    for (let index = 0; index < count; index++) {
      const bytes = await render(index);
      const item: Record<string, string | JsonBytes> = {};
      if (asked === 'url' || urlFault || many?.asUrls) {
        const id = randomBytes(8).toString('hex');
        files.set(id, { bytes, format, fault: urlFault });
        item.url = `${urlFault?.type === 'urlOrigin' ? urlFault.origin : origin}/files/${id}.${extensionFor(format)}`;
      } else {
        item.b64_json = base64Of(bytes);
      }
      if (model === 'dall-e-3') item.revised_prompt = `A sandbox rendering of: ${prompt}`;
      data.push(item);
    }
    sendAnswer(
      res,
      req,
      { created: now(), data, usage: usageOf(prompt, n, { size: `${width}x${height}`, quality: checked.value.quality }) },
      fault,
      headers,
    );
  }

  async function models(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fault = takeFault('models');
    if (await answerFault(fault, req, res)) return;
    if (!authorized(req, res)) return;
    const ids = opts.models ?? MODELS.map((m) => m.id);
    const body = { object: 'list', data: ids.map((id) => ({ id, object: 'model', owned_by: 'sandbox' })) };
    sendAnswer(res, req, body, fault, {});
  }

  async function file(res: ServerResponse, url: URL): Promise<void> {
    const id = /^\/files\/([0-9a-f]+)\.\w+$/.exec(url.pathname)?.[1];
    const stored = id ? files.get(id) : undefined;
    if (!stored) return sendJson(res, 404, errorBody('No such file.', 'invalid_request_error', 'not_found'));
    const f = stored.fault;
    const hop = Number(url.searchParams.get('hop') ?? 0);
    if (f?.type === 'urlStatus') {
      res.writeHead(f.status, { 'content-type': 'text/plain' });
      return void res.end(`HTTP ${f.status}`);
    }
    if (f?.type === 'urlHang') return;
    if (f?.type === 'urlRedirect') {
      res.writeHead(302, { location: f.location });
      return void res.end();
    }
    if (f?.type === 'urlRedirects' && hop < f.hops) {
      res.writeHead(302, { location: `${url.pathname}?hop=${hop + 1}` });
      return void res.end();
    }
    if (f?.type === 'urlLarge') return streamLarge(res, f.bytes);
    res.writeHead(200, { 'content-type': `image/${stored.format}`, 'content-length': stored.bytes.length });
    res.end(stored.bytes);
  }

  /** A PNG signature and then zeros, written as fast as the client reads, until `bytes` or it hangs up. */
  async function streamLarge(res: ServerResponse, bytes: number): Promise<void> {
    res.writeHead(200, { 'content-type': 'image/png' });
    const chunk = Buffer.alloc(64 * 1024);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(chunk);
    for (let sent = 0; sent < bytes && !res.destroyed; sent += chunk.length) {
      const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
      if (!res.write(piece)) await drainedOrClosed(res);
      chunk.fill(0, 0, 8);
    }
    res.end();
  }

  async function control(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Promise<void> {
    if (req.method === 'POST' && url.pathname === '/__sandbox/faults') {
      let items: unknown;
      try {
        items = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendJson(res, 400, errorBody('Send a fault or a list of faults as JSON.', 'invalid_request_error'));
      }
      const parsed = faultSchema.array().safeParse(Array.isArray(items) ? items : [items]);
      if (!parsed.success) return sendJson(res, 400, errorBody(parsed.error.message, 'invalid_request_error'));
      faults.push(...parsed.data);
      return sendJson(res, 200, { queued: faults.length });
    }
    if (req.method === 'POST' && url.pathname === '/__sandbox/reset') {
      reset();
      return sendJson(res, 200, { ok: true });
    }
    if (req.method === 'GET' && url.pathname === '/__sandbox/requests') return sendJson(res, 200, requests);
    if (url.pathname === '/__sandbox/pace') {
      if (req.method === 'POST') {
        const pace = paceSchema.safeParse(parseOrUndefined(raw));
        if (!pace.success)
          return sendJson(res, 400, errorBody('Send {"ms": N}, N whole milliseconds from 0 to 60000.', 'invalid_request_error'));
        streamDelayMs = pace.data.ms;
      }
      return sendJson(res, 200, { ms: streamDelayMs });
    }
    sendJson(res, 404, errorBody('Unknown sandbox control route.', 'invalid_request_error'));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname.replace(/\/+$/, '');
    const route = faultRouteOf(path);
    const noCors = route !== undefined && takeFault(route, 'noCors') !== undefined;
    if (!noCors) allowBrowsers(res);
    // A browser's preflight, not the client's request: answered here, and not recorded.
    if (req.method === 'OPTIONS') {
      if (!noCors) return void res.writeHead(204).end();
      return sendJson(res, 405, errorBody('OPTIONS is not allowed here.', 'invalid_request_error'), { allow: 'GET, POST' });
    }
    // Edits read their own (larger, multipart) body.
    if (req.method === 'POST' && path === '/v1/images/edits')
      return edits(req, res, {
        requests,
        fault: takeFault('generations'),
        requestId: `req_sandbox_${++counter}`,
        latencyMs: opts.latencyMs,
        streamDelayMs: () => streamDelayMs,
        answerFault,
        authorized,
        sendAnswer,
      });
    const raw = await readBody(req, MAX_REQUEST_BYTES);
    if (raw === undefined) return sendJson(res, 413, errorBody('Request body too large.', 'invalid_request_error'));
    if (url.pathname.startsWith('/__sandbox/')) return control(req, res, url, raw);
    let json: unknown;
    try {
      json = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      json = undefined;
    }
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers }, json, time: Date.now() });
    if (req.method === 'POST' && path === '/v1/images/generations') return generations(req, res, raw);
    if (path.startsWith('/v1/images/tasks')) return tasks(req, res, path, raw);
    if (req.method === 'GET' && path === '/v1/models') return models(req, res);
    if (req.method === 'GET' && path.startsWith('/files/')) return file(res, url);
    sendJson(res, 404, errorBody(`Unknown route ${req.method} ${url.pathname}.`, 'invalid_request_error', 'unknown_url'));
  }

  function reset(): void {
    faults = [];
    requests.length = 0;
    files.clear();
    counter = 0;
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, errorBody(`Sandbox failure: ${String(err)}`, 'server_error'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    baseUrl: `${origin}/v1`,
    key,
    port,
    requests,
    enqueue,
    reset,
    setStreamDelay: (ms) => void (streamDelayMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests never end on their own.
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
