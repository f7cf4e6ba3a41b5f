// Async image tasks: POST {apiRoot}/images/tasks, then poll the task until it ends, all under one deadline.
// Long 4K jobs outlive the ~100 s a CDN allows one request, so the work is split into short exchanges.
// The task answer is not documented, so the known gateway variants are read and anything else is refused.
import { utf8 } from './bytes';
import type { HttpRequest } from './transport';
import {
  answerBytes,
  checkImageCount,
  DEFAULT_TIMEOUT_MS,
  IMAGE_BYTES,
  log,
  materializeAll,
  sendWithRetries,
  target,
  waitAbortably,
  type Call,
  type ClientOptions,
  type GenerationResult,
  type ProgressEvent,
} from './client';
import { startDeadline } from './deadline';
import { abortError, firstTextLine, ImageApiError, invalidResponse } from './errors';
import { message } from './messages';
import { redact } from './redact';
import { toRequestBody, validateRequest, type GenerateRequest } from './request';
import { ImagesAnswerReader, type ImageItem } from './response';

export interface TaskState {
  state: 'running' | 'succeeded' | 'failed' | 'unknown';
  taskId?: string;
  items?: unknown[];
  error?: string;
  /** How many images the task says it makes, when it says so. */
  n?: number;
}

export type TaskClientOptions = ClientOptions & { pollIntervalMs?: number };

const RUNNING = new Set(['pending', 'queued', 'processing', 'running', 'in_progress']);
const SUCCEEDED = new Set(['completed', 'succeeded', 'success', 'done']);
const FAILED = new Set(['failed', 'error', 'cancelled', 'canceled', 'expired']);
const FIRST_POLL_MS = 1000;
const POLL_FACTOR = 1.5;
const MAX_POLL_MS = 10_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

function imagesOf(o: Obj): unknown[] | undefined {
  const result = isObj(o.result) ? o.result : {};
  return [o.data, result.data, result.images, o.images].find((v): v is unknown[] => Array.isArray(v) && v.length > 0);
}

function errorOf(o: Obj): string | undefined {
  return (isObj(o.error) ? text(o.error.message) : text(o.error)) ?? text(o.fail_reason) ?? text(o.message);
}

/** `n` as the task echoes the request: top level, or under params/request/input. */
function announcedN(o: Obj): number | undefined {
  for (const holder of [o, o.params, o.request, o.input]) {
    const n = isObj(holder) ? holder.n : undefined;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
    if (typeof n === 'string' && /^\d+$/.test(n.trim())) return Number(n);
  }
  return undefined;
}

/** What a task answer says, read leniently; `unknown` when it matches no known gateway's shape. */
export function parseTaskState(body: unknown): TaskState {
  if (!isObj(body)) return { state: 'unknown' };
  // Some gateways wrap the task in a `data` object: its fields count as top-level ones.
  const layers = isObj(body.data) ? [body, body.data] : [body];
  const first = <T>(f: (o: Obj) => T | undefined) => layers.map(f).find((v) => v !== undefined);
  const taskId = first((o) => text(o.task_id)) ?? first((o) => text(o.id));
  const status = first((o) => text(o.status) ?? text(o.state))?.toLowerCase();
  const items = first(imagesOf);
  const error = first(errorOf);
  const n = first(announcedN);
  const id = { ...(taskId === undefined ? {} : { taskId }), ...(n === undefined ? {} : { n }) };
  if (status !== undefined && FAILED.has(status)) return { state: 'failed', ...id, error: error ?? `the task ended as "${status}"` };
  if (status !== undefined && SUCCEEDED.has(status)) return { state: 'succeeded', ...id, ...(items ? { items } : {}) };
  if (status !== undefined && RUNNING.has(status)) return { state: 'running', ...id };
  if (status === undefined && items) return { state: 'succeeded', ...id, items };
  if (status === undefined && isObj(body.error)) return { state: 'failed', ...id, error: error ?? 'the task failed' };
  return { state: 'unknown', ...id };
}

/** The field names and status of an unrecognised answer: enough to report it, never its contents. */
function describeShape(body: unknown): string {
  if (!isObj(body)) return Array.isArray(body) ? 'a JSON list' : `JSON ${typeof body}`;
  const status = text(body.status) ?? text(body.state);
  const keys = Object.keys(body).slice(0, 8).join(', ') || 'no fields';
  return `fields: ${keys}${status ? `; status "${status.slice(0, 40)}"` : ''}`;
}

function imageItems(items: unknown[]): ImageItem[] {
  return items.map((item, i) => {
    const o = isObj(item) ? item : {};
    const b64_json = typeof o.b64_json === 'string' && o.b64_json ? o.b64_json : undefined;
    const url = typeof o.url === 'string' && o.url ? o.url : undefined;
    if (!b64_json && !url) throw invalidResponse(message('taskImageEmpty', { index: i }));
    const revised_prompt = typeof o.revised_prompt === 'string' ? o.revised_prompt : undefined;
    return { b64_json, url, revised_prompt };
  });
}

interface Exchange {
  body: unknown;
  reader: ImagesAnswerReader;
  retries: number;
  attempt: number;
  requestId?: string;
}

/** One request with the usual retry policy; base64 images are decoded as they arrive, as on the sync path. */
async function exchange(call: Call, request: HttpRequest, maxBytes: number, maxImages: number): Promise<Exchange> {
  let reader = new ImagesAnswerReader(maxImages);
  const sent = await sendWithRetries(call, request, maxBytes, (status) =>
    status >= 200 && status < 300 ? (reader = new ImagesAnswerReader(maxImages)) : undefined,
  );
  let body: unknown;
  try {
    body = JSON.parse(utf8(sent.response.body));
  } catch {
    const line = firstTextLine(utf8(reader.head));
    throw invalidResponse(message('taskNotJson', line ? { line: line.slice(0, 80) } : {}));
  }
  return { body, reader, retries: sent.retries, attempt: sent.attempt, requestId: sent.requestId };
}

/** Progress from the shared sender limited to some stages: polls report their own 'waiting' events. */
function only(opts: ClientOptions, stages: ProgressEvent['stage'][]): ClientOptions {
  const onProgress = opts.onProgress;
  return { ...opts, onProgress: onProgress && ((e) => (stages.includes(e.stage) ? onProgress(e) : undefined)) };
}

function taskTimeout(taskId: string, timeoutMs: number): ImageApiError {
  return new ImageApiError({
    kind: 'timeout',
    detail: message('taskTimedOut', { task: taskId, seconds: Math.round(timeoutMs / 100) / 10 }),
  });
}

/** Same request and result as generateImages, made as an async task that is polled until it ends. */
export async function generateImagesAsync(req: GenerateRequest, opts: TaskClientOptions): Promise<GenerationResult> {
  const started = Date.now();
  const checked = validateRequest(req);
  if (!checked.ok) throw new ImageApiError({ kind: 'invalidRequest', detail: checked.error });
  const value = checked.value;
  const { url, key } = target(opts, 'images/tasks');
  const deadline = startDeadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal);
  const logBase = { endpoint: url, model: value.model, size: value.size, quality: value.quality, n: value.n };
  const call: Call = { opts, deadline, key, logBase };
  const n = value.n ?? 1;
  const maxBytes = opts.maxResponseBytes ?? answerBytes(n);
  /** A task that says it makes more images than asked for is refused at once, whatever it has made yet. */
  const read = (ex: Exchange): TaskState => {
    const state = parseTaskState(ex.body);
    if (state.n !== undefined) checkImageCount(state.n, n);
    return state;
  };
  const headers = { Authorization: `Bearer ${key}`, Accept: 'application/json' };
  let taskId: string | undefined;
  let finished = false;
  let retries = 0;
  try {
    const post: HttpRequest = {
      method: 'POST',
      url,
      body: JSON.stringify(toRequestBody(value, 'task')),
      headers: { ...headers, 'Content-Type': 'application/json' },
    };
    let ex = await exchange({ ...call, opts: only(opts, ['sending', 'retrying']) }, post, maxBytes, n);
    const requestId = ex.requestId;
    retries += ex.retries;
    let state = read(ex);
    taskId = state.taskId;
    const pollCall: Call = { ...call, opts: only(opts, ['retrying']) };
    let poll = 0;
    let wait = Math.max(1, opts.pollIntervalMs ?? FIRST_POLL_MS);
    const cap = Math.max(MAX_POLL_MS, wait);
    // A running task without an id cannot be polled: that is an unknown shape too.
    while (state.state === 'running' && taskId) {
      poll++;
      opts.onProgress?.({ stage: 'waiting', attempt: poll, delayMs: wait });
      await waitAbortably(Math.min(wait, deadline.remainingMs()), deadline.signal, opts.sleep);
      wait = Math.min(cap, wait * POLL_FACTOR);
      const get: HttpRequest = { method: 'GET', url: `${url}/${encodeURIComponent(taskId)}`, headers };
      ex = await exchange({ ...pollCall, logBase: { ...logBase, endpoint: get.url } }, get, maxBytes, n);
      retries += ex.retries;
      state = read(ex);
    }
    finished = true;
    if (state.state === 'failed') {
      const serverMessage = redact(state.error ?? '', [key])
        .replace(/\s+/g, ' ')
        .slice(0, 500);
      throw new ImageApiError({
        kind: 'server',
        serverMessage,
        requestId,
        detail: message('taskFailed', { task: taskId, server: serverMessage.slice(0, 200) }),
      });
    }
    if (state.state !== 'succeeded') {
      const shape = describeShape(ex.body);
      log(call, { elapsedMs: Date.now() - started, attempt: poll, error: `Unrecognised task answer (${shape})` });
      throw invalidResponse(message('taskShapeUnknown', { shape }), message('checkTask', { task: taskId }));
    }
    if (!state.items) throw invalidResponse(message('taskNoImages', { task: taskId }), message('checkWithProvider', {}));
    checkImageCount(state.items.length, n);
    const images = await materializeAll(call, imageItems(state.items), n, poll || 1, opts.maxDownloadBytes ?? IMAGE_BYTES, ex.reader);
    return {
      images,
      model: value.model,
      size: value.size,
      elapsedMs: Date.now() - started,
      requestId: ex.requestId ?? requestId,
      retries,
    };
  } catch (err) {
    const cause = deadline.cause();
    // The task id is the server's text too: every error leaving here is redacted.
    if (cause === 'timeout' && taskId && !finished) throw Object.assign(taskTimeout(taskId, deadline.timeoutMs), { retries }).redact([key]);
    if (cause === 'cancelled' && taskId && !finished)
      throw abortError(cause, 'gateway', 0)
        .annotate(message('taskMayStillRun', { task: taskId }))
        .redact([key]);
    if (cause && !(err instanceof ImageApiError)) throw abortError(cause, 'gateway', deadline.timeoutMs);
    if (err instanceof ImageApiError) err.retries = Math.max(err.retries, retries);
    throw err instanceof ImageApiError ? err.redact([key]) : err;
  } finally {
    deadline.dispose();
  }
}
