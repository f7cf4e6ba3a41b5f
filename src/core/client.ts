// Generates images through an OpenAI-compatible gateway: validate, send with the retry policy,
// check the answer, fetch or decode every image and verify it really is one.
import { AddressGuard } from './addressGuard';
import type { ImageFormat } from './catalog';
import { endpoint, normalizeBaseUrl } from './baseUrl';
import { startDeadline, type Deadline } from './deadline';
import { downloadImage } from './download';
import { abortError, errorFromResponse, ImageApiError, invalidResponse } from './errors';
import { decodeBase64, sniffImage } from './images';
import { message } from './messages';
import { redact } from './redact';
import { toRequestBody, validateRequest, type GenerateRequest } from './request';
import { ImageStreamReader, isEventStream, type PartialImage } from './imageStream';
import { ImagesAnswerReader, parseImagesAnswer, parseModelList, tooManyImages, type ImageItem, type Usage } from './response';
import { decideRetry, DEFAULT_MAX_RETRIES, parseRetryAfter, sleep as defaultSleep } from './retry';
import { utf8 } from './bytes';
import { ByteBudget, requestIdOf, type BodySink, type HttpRequest, type Network, type RawResponse } from './transport';

export type { Usage } from './response';
export type { PartialImage } from './imageStream';

export interface ProgressEvent {
  stage: 'sending' | 'waiting' | 'retrying' | 'preview' | 'downloading' | 'decoding';
  attempt: number;
  delayMs?: number;
  /** 0-based: the image downloaded or decoded; for a preview, its number among the previews received. */
  index?: number;
  total?: number;
}

/** One line per HTTP exchange for the output channel; never holds the key. */
export interface LogEvent {
  endpoint: string;
  model: string;
  size?: string;
  quality?: string;
  n?: number;
  status?: number;
  elapsedMs: number;
  bytes?: number;
  requestId?: string;
  attempt: number;
  error?: string;
}

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  /** One deadline for the whole call, retries and downloads included. Default 300 000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Cap on the JSON answer; default sized for n base64 4K PNGs. */
  maxResponseBytes?: number;
  /** Cap on each downloaded image; default sized for a 4K PNG. */
  maxDownloadBytes?: number;
  /** Cap on all images of one answer together, decoded or downloaded. */
  maxAnswerBytes?: number;
  /** The host's network: Node's sockets or the browser's fetch, and how image-URL host names are resolved (src/core/transport.ts). */
  network: Network;
  maxRetries?: number;
  onProgress?: (e: ProgressEvent) => void;
  /** Each partial image of a streamed answer, decoded and checked, as it arrives; it is not kept. */
  onPartialImage?: (image: PartialImage) => void;
  onLog?: (e: LogEvent) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface GeneratedImage {
  bytes: Uint8Array;
  /** What the bytes are, which may differ from the format asked for. */
  format: ImageFormat;
  width: number;
  height: number;
  revisedPrompt?: string;
}

export interface GenerationResult {
  images: GeneratedImage[];
  created?: number;
  usage?: Usage;
  model: string;
  size?: string;
  elapsedMs: number;
  requestId?: string;
  retries: number;
}

export const DEFAULT_TIMEOUT_MS = 300_000;
const LIST_MODELS_TIMEOUT_MS = 30_000;
// A 3840x2160 RGBA PNG is 33 MB uncompressed; real ones are far smaller. Base64 adds a third.
const IMAGE_BYTES = 40 * 1024 * 1024;
const BASE64_IMAGE_BYTES = Math.ceil((IMAGE_BYTES * 4) / 3);
const JSON_OVERHEAD_BYTES = 1024 * 1024;
/** All images of one answer together: five 4K PNGs at the per-image cap, far more than real answers hold. */
const ANSWER_IMAGE_BYTES = 200 * 1024 * 1024;
/** Image URLs fetched at once: enough to overlap latency, few enough to bound sockets and memory. */
const DOWNLOAD_CONCURRENCY = 4;

/** Base URL and key checked before anything is sent. */
function target(opts: ClientOptions, path: string): { url: string; key: string } {
  const base = normalizeBaseUrl(opts.baseUrl);
  if (!base.ok) throw new ImageApiError({ kind: 'invalidRequest', detail: message('baseUrlUnusable', { problem: base.error }) });
  const key = (opts.apiKey ?? '').trim();
  if (!key) throw new ImageApiError({ kind: 'authentication', detail: message('noApiKey', {}) });
  if (/[\r\n]/.test(key)) throw new ImageApiError({ kind: 'authentication', detail: message('keyLineBreak', {}) });
  return { url: endpoint(base.apiRoot, path), key };
}

/** Waits with the injected sleep, but ends at once on cancel or deadline even if that sleep ignores the signal. */
function waitAbortably(ms: number, signal: AbortSignal, sleepFn: ClientOptions['sleep'] = defaultSleep): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    sleepFn(ms, signal).then(
      () => (signal.removeEventListener('abort', onAbort), resolve()),
      (err) => (signal.removeEventListener('abort', onAbort), reject(err)),
    );
  });
}

interface Call {
  opts: ClientOptions;
  deadline: Deadline;
  key: string;
  logBase: Pick<LogEvent, 'endpoint' | 'model' | 'size' | 'quality' | 'n'>;
}

function log(call: Call, e: Partial<LogEvent> & Pick<LogEvent, 'elapsedMs' | 'attempt'>): void {
  const error = e.error === undefined ? undefined : redact(e.error, [call.key]);
  call.opts.onLog?.({ ...call.logBase, ...e, ...(error === undefined ? {} : { error }) });
}

interface Sent {
  response: RawResponse;
  retries: number;
  attempt: number;
  requestId?: string;
}

/** Sends until a 2xx answer, retrying only what the policy allows; the error thrown carries the retry count. */
async function sendWithRetries(
  call: Call,
  request: HttpRequest,
  maxBytes: number,
  sinkFor?: (status: number, headers: Record<string, string>, attempt: number) => BodySink | undefined,
): Promise<Sent> {
  const { opts, deadline } = call;
  const maxRetries = opts.maxRetries ?? DEFAULT_MAX_RETRIES;
  for (let attempt = 1; ; attempt++) {
    const retries = attempt - 1;
    const started = Date.now();
    let waiting = false;
    opts.onProgress?.({ stage: 'sending', attempt });
    let error: ImageApiError;
    let retryAfterMs: number | undefined;
    try {
      const onSent = () => {
        if (waiting) return;
        waiting = true;
        opts.onProgress?.({ stage: 'waiting', attempt });
      };
      const sink = sinkFor && ((status: number, headers: Record<string, string>) => sinkFor(status, headers, attempt));
      const response = await opts.network.api(request, { deadline, maxBytes, peer: 'gateway', sinkFor: sink, onSent });
      const requestId = requestIdOf(response.headers);
      const logged = {
        status: response.status,
        elapsedMs: Date.now() - started,
        bytes: response.received ?? response.body.length,
        requestId,
        attempt,
      };
      if (response.status >= 200 && response.status < 300) {
        log(call, logged);
        return { response, retries, attempt, requestId };
      }
      const body = utf8(response.body);
      error = errorFromResponse({ status: response.status, body, model: call.logBase.model, requestId, secrets: [call.key] });
      log(call, { ...logged, error: error.userMessage });
      retryAfterMs = parseRetryAfter(response.headers);
    } catch (err) {
      if (!(err instanceof ImageApiError)) throw err;
      error = err;
      log(call, { elapsedMs: Date.now() - started, attempt, status: err.status, requestId: err.requestId, error: err.userMessage });
    }
    const decision = decideRetry({
      retriable: error.retriable,
      retries,
      maxRetries,
      retryAfterMs,
      remainingMs: deadline.remainingMs(),
      random: opts.random,
    });
    if (!decision.retry) {
      error.retries = retries;
      if (decision.reason) error.annotate(decision.reason);
      else if (retries > 0) error.annotate(message('afterRetries', { retries }));
      throw error;
    }
    opts.onProgress?.({ stage: 'retrying', attempt, delayMs: decision.delayMs });
    try {
      await waitAbortably(decision.delayMs, deadline.signal, opts.sleep);
    } catch (err) {
      const cause = deadline.cause();
      if (!cause) throw err;
      throw Object.assign(abortError(cause, 'gateway', deadline.timeoutMs), { retries });
    }
  }
}

async function materialize(
  call: Call,
  item: ImageItem,
  index: number,
  total: number,
  attempt: number,
  maxDownloadBytes: number,
  shared: { budget: ByteBudget; guard: AddressGuard },
  reader?: AnswerReader,
): Promise<GeneratedImage> {
  const { opts } = call;
  let bytes: Uint8Array | undefined;
  if (item.b64_json) {
    opts.onProgress?.({ stage: 'decoding', attempt, index, total });
    bytes = reader?.take(item.b64_json) ?? decodeBase64(item.b64_json);
    if (!bytes) throw invalidResponse(message('imageNotBase64', { index, total }));
    if (!shared.budget.take(bytes.length)) throw tooLargeTogether(shared.budget);
  } else {
    opts.onProgress?.({ stage: 'downloading', attempt, index, total });
    const started = Date.now();
    const logged = item.url!.replace(/[?#].*$/, ''); // the query may hold a signature
    try {
      const res = await downloadImage(item.url!, {
        deadline: call.deadline,
        maxBytes: maxDownloadBytes,
        transport: call.opts.network.images,
        ...shared,
      });
      bytes = res.body;
      log(call, { endpoint: logged, status: res.status, elapsedMs: Date.now() - started, bytes: bytes.length, attempt });
    } catch (err) {
      if (err instanceof ImageApiError)
        log(call, { endpoint: logged, status: err.status, elapsedMs: Date.now() - started, attempt, error: err.userMessage });
      throw err;
    }
    opts.onProgress?.({ stage: 'decoding', attempt, index, total });
  }
  const sniffed = sniffImage(bytes);
  if (!sniffed) throw invalidResponse(message('imageNotImage', { index, total }));
  return { bytes, ...sniffed, ...(item.revised_prompt ? { revisedPrompt: item.revised_prompt } : {}) };
}

function tooLargeTogether(budget: ByteBudget): ImageApiError {
  return new ImageApiError({ kind: 'tooLarge', detail: message('imagesTooLargeTogether', { mb: Math.round(budget.limit / 1e6) }) });
}

/** Refuses an answer with more images than were asked for, before any of them is used. */
export function checkImageCount(count: number, asked: number): void {
  if (count > asked) throw tooManyImages(count, asked);
}

/**
 * Every image of the answer (at most `asked`), URLs downloaded a few at a time under the call's
 * deadline, all of them under one byte budget. All or nothing: the first failure cancels the
 * other downloads and is the error thrown.
 */
async function materializeAll(
  call: Call,
  items: ImageItem[],
  asked: number,
  attempt: number,
  maxDownloadBytes: number,
  reader?: AnswerReader,
): Promise<GeneratedImage[]> {
  checkImageCount(items.length, asked);
  const siblings = new AbortController();
  const parent = call.deadline;
  const deadline: Deadline = {
    signal: AbortSignal.any([parent.signal, siblings.signal]),
    // A download stopped because another failed reads as cancelled; its error is not the one thrown.
    cause: () => parent.cause() ?? (siblings.signal.aborted ? 'cancelled' : undefined),
    remainingMs: parent.remainingMs,
    timeoutMs: parent.timeoutMs,
    dispose: () => {},
  };
  const scoped = { ...call, deadline };
  const shared = {
    budget: new ByteBudget(call.opts.maxAnswerBytes ?? ANSWER_IMAGE_BYTES),
    guard: new AddressGuard(new URL(call.opts.baseUrl).hostname, call.opts.network.resolver),
  };
  const images: GeneratedImage[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !siblings.signal.aborted) {
      const index = next++;
      try {
        images[index] = await materialize(scoped, items[index]!, index, items.length, attempt, maxDownloadBytes, shared, reader);
      } catch (err) {
        siblings.abort(err);
        throw err;
      }
    }
  };
  const workers = Array.from({ length: Math.min(DOWNLOAD_CONCURRENCY, items.length) }, worker);
  const settled = await Promise.allSettled(workers);
  // The first failure is the one that stopped the others.
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw siblings.signal.reason ?? failed.reason;
  return images;
}

/** What holds the decoded images of an answer until they are used: an ordinary answer's reader or a stream's. */
type AnswerReader = Pick<ImagesAnswerReader, 'take' | 'head'>;

/**
 * The reader for a 2xx answer: an event stream (a request with `stream`, or any answer labelled so)
 * or ordinary JSON, which a gateway that ignores `stream` sends instead. Partial images go to
 * `onPartialImage` and are counted as progress.
 */
function readerFor(call: Call, headers: Record<string, string>, n: number, partials: number, attempt: number): BodySink & AnswerReader {
  if (!isEventStream(headers['content-type'])) return new ImagesAnswerReader(n);
  const { onPartialImage, onProgress } = call.opts;
  let received = 0;
  const limits = {
    images: n,
    partials,
    eventBytes: BASE64_IMAGE_BYTES + JSON_OVERHEAD_BYTES,
    imageBytes: call.opts.maxAnswerBytes ?? ANSWER_IMAGE_BYTES,
    secrets: [call.key],
  };
  return new ImageStreamReader(limits, (image) => {
    onProgress?.({ stage: 'preview', attempt, index: received++, total: partials * n });
    // The view's trouble is not the request's: a preview that cannot be shown is only missed.
    try {
      onPartialImage?.({ ...image, expected: partials * n });
    } catch {
      /* ignored */
    }
  });
}

/** Cap on a JSON answer holding `n` base64 images. */
function answerBytes(n: number): number {
  return Math.min(n * BASE64_IMAGE_BYTES, Math.ceil((ANSWER_IMAGE_BYTES * 4) / 3)) + JSON_OVERHEAD_BYTES;
}

/**
 * Cap on a streamed answer: each of the n images may come with `partials` previews as large as itself.
 * Previews are handed on and dropped, never held together, so only what is read is capped here; the
 * final images still share the one answer budget.
 */
function streamBytes(n: number, partials: number): number {
  return n * (1 + partials) * BASE64_IMAGE_BYTES + JSON_OVERHEAD_BYTES;
}

export async function generateImages(req: GenerateRequest, opts: ClientOptions): Promise<GenerationResult> {
  const checked = validateRequest(req);
  if (!checked.ok) throw new ImageApiError({ kind: 'invalidRequest', detail: checked.error });
  return requestImages(opts, 'images/generations', checked.value, {
    data: JSON.stringify(toRequestBody(checked.value)),
    contentType: 'application/json',
  });
}

/**
 * One synchronous images call (generations, edits): sent under the retry policy, then every image
 * decoded or downloaded and checked. `contentType` is left out for multipart, whose boundary axios sets.
 */
export async function requestImages(
  opts: ClientOptions,
  path: string,
  value: GenerateRequest,
  body: { data: string | FormData; contentType?: string },
): Promise<GenerationResult> {
  const started = Date.now();
  const { url, key } = target(opts, path);
  const n = value.n ?? 1;
  const deadline = startDeadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal);
  const call: Call = {
    opts,
    deadline,
    key,
    logBase: { endpoint: url, model: value.model, size: value.size, quality: value.quality, n: value.n },
  };
  let sent: Sent | undefined;
  let reader: (BodySink & AnswerReader) | undefined;
  const partials = value.partialImages ?? 0;
  try {
    sent = await sendWithRetries(
      call,
      {
        method: 'POST',
        url,
        body: body.data,
        headers: {
          Authorization: `Bearer ${key}`,
          // A streamed answer is an event stream; errors come as JSON either way.
          Accept: partials > 0 ? 'text/event-stream, application/json' : 'application/json',
          ...(body.contentType ? { 'Content-Type': body.contentType } : {}),
        },
      },
      opts.maxResponseBytes ?? (partials > 0 ? streamBytes(n, partials) : answerBytes(n)),
      // Images are decoded as they arrive: a 4K answer is never held as text (see ImagesAnswerReader),
      // and none past the n-th is decoded at all.
      (status, headers, attempt) => (status >= 200 && status < 300 ? (reader = readerFor(call, headers, n, partials, attempt)) : undefined),
    );
    const answer = parseImagesAnswer(sent.response.body, reader?.head);
    const images = await materializeAll(call, answer.data, n, sent.attempt, opts.maxDownloadBytes ?? IMAGE_BYTES, reader);
    return {
      images,
      ...(answer.created === undefined ? {} : { created: answer.created }),
      ...(answer.usage === undefined ? {} : { usage: answer.usage }),
      model: value.model,
      size: value.size,
      elapsedMs: Date.now() - started,
      requestId: sent.requestId,
      retries: sent.retries,
    };
  } catch (err) {
    if (err instanceof ImageApiError && sent) {
      err.retries = sent.retries;
      err.requestId ??= sent.requestId;
    }
    // A stream cut in the middle says how far it got (a stream's own errors say so already).
    if (err instanceof ImageApiError && reader instanceof ImageStreamReader && err.kind === 'network') {
      err.annotate(message('streamStage', reader.stage()));
    }
    throw err instanceof ImageApiError ? err.redact([key]) : err;
  } finally {
    deadline.dispose();
  }
}

/** The model ids the key can reach, from GET /models. */
export async function listModels(opts: ClientOptions): Promise<string[]> {
  const { url, key } = target(opts, 'models');
  const deadline = startDeadline(opts.timeoutMs ?? LIST_MODELS_TIMEOUT_MS, opts.signal);
  const call: Call = { opts, deadline, key, logBase: { endpoint: url, model: '' } };
  try {
    const sent = await sendWithRetries(
      call,
      { method: 'GET', url, headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' } },
      opts.maxResponseBytes ?? JSON_OVERHEAD_BYTES * 8,
    );
    return parseModelList(sent.response.body);
  } catch (err) {
    throw err instanceof ImageApiError ? err.redact([key]) : err;
  } finally {
    deadline.dispose();
  }
}

// Shared with the async tasks client, so both paths send, retry, log and check images the same way.
export { answerBytes, IMAGE_BYTES, log, materializeAll, sendWithRetries, target, waitAbortably, type Call };
