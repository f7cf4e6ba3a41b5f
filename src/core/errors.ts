// Every way an image request can fail, as one error type with a one-line message saying cause and remedy.
// Server text is redacted first: gateways have been known to echo the Authorization header.
import type { AbortCause } from './deadline';
import { englishMessage, message, type Message, type MessageId, type MessageParams, type Peer } from './messages';
import { redact } from './redact';
import { isRetriableStatus } from './retry';

export type ErrorKind =
  | 'authentication'
  | 'permission'
  | 'notFound'
  | 'badRequest'
  | 'rateLimit'
  | 'server'
  | 'timeout'
  | 'network'
  | 'cancelled'
  | 'invalidResponse'
  | 'invalidRequest'
  | 'tooLarge';

export interface ErrorInit {
  kind: ErrorKind;
  /** What to tell the user; the host words it in the display language. */
  detail: Message;
  status?: number;
  serverMessage?: string;
  /** The OpenAI-style error code, e.g. moderation_blocked. */
  code?: string;
  requestId?: string;
  retries?: number;
  retriable?: boolean;
}

export class ImageApiError extends Error {
  readonly kind: ErrorKind;
  readonly status?: number;
  serverMessage?: string;
  readonly code?: string;
  requestId?: string;
  /** Retries made before giving up. */
  retries: number;
  /** Whether the retry policy allows this failure to be sent again. */
  readonly retriable: boolean;
  /** What went wrong and what to do, as a message id and its parameters. */
  detail: Message;

  constructor(init: ErrorInit) {
    super(englishMessage(init.detail));
    this.name = 'ImageApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.code = init.code;
    this.requestId = init.requestId;
    this.retries = init.retries ?? 0;
    this.retriable = init.retriable ?? false;
    this.detail = init.detail;
  }

  /** The one-line message in English, for logs and tests; users see it worded by the host. */
  get userMessage(): string {
    return englishMessage(this.detail);
  }

  /**
   * Removes the secrets from every text this error carries. The clients call it once as an error
   * leaves them, whatever part built it, so server text quoted anywhere (a task's status or id, the
   * first line of a body that is not JSON) never shows the key.
   */
  redact(secrets: readonly string[]): this {
    const clean = (v: unknown): unknown =>
      typeof v === 'string'
        ? redact(v, secrets)
        : Array.isArray(v)
          ? v.map(clean)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]))
            : v;
    this.detail = { ...this.detail, params: clean(this.detail.params) } as Message;
    if (this.serverMessage !== undefined) this.serverMessage = redact(this.serverMessage, secrets);
    this.message = this.userMessage;
    return this;
  }

  /** Adds a short note (e.g. about retries) to the message. */
  annotate(note: Message): this {
    this.detail = message('annotated', { message: this.detail, note });
    this.message = this.userMessage;
    return this;
  }
}

function oneLine(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** First line of readable text of an HTML or plain-text error page (the title wins for HTML). */
export function firstTextLine(body: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
  const text = (title ?? body)
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]+>/g, '\n')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
  return oneLine(text.split('\n').find((l) => l.trim()) ?? '');
}

interface ServerError {
  message?: string;
  type?: string;
  code?: string;
  param?: string;
}

/** `{"error": {message, type, param, code}}` (code may be a number), or `{"error": "text"}`, or `{"message"}`. */
export function parseServerError(body: string): ServerError | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object') return undefined;
  const root = json as Record<string, unknown>;
  const err = root.error;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
  if (typeof err === 'string') return { message: err };
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    return { message: str(e.message), type: str(e.type), code: str(e.code), param: str(e.param) };
  }
  return str(root.message) ? { message: str(root.message), code: str(root.code), type: str(root.type) } : undefined;
}

const SAFETY_CODES = new Set(['moderation_blocked', 'content_policy_violation', 'image_generation_user_error']);

/** Whether an error's code or type says the provider's safety system refused the prompt. */
export function isSafetyRefusal(code: string | undefined, type: string | undefined): boolean {
  return SAFETY_CODES.has(code ?? '') || type === 'image_generation_user_error';
}

/** Codes gateways use for "this key may not use this model". */
const MODEL_DENIED_CODES = new Set([
  'model_not_found',
  'model_not_permitted',
  'model_not_allowed',
  'model_access_denied',
  'model_not_available',
  'no_available_channel',
]);

/**
 * How gateways word "this key may not use this model" when they send no code: OpenAI ("does not exist or
 * you do not have access to it", "must be verified to use the model"), one-api / new-api and their forks
 * (`当前分组 default 下对于模型 x 无可用渠道`, `该令牌无权访问模型 x`, and their English translations).
 */
const MODEL_DENIED_TEXT = [
  /\bnot have access to (?:the )?model\b/i,
  /\bmodel\b.{0,160}\b(?:does not exist or you do not have access|not have access to it)/i,
  /\bnot (?:allowed|permitted|authori[sz]ed|entitled) to (?:use|access) (?:the |this )?model\b/i,
  /\bmust be verified to use (?:the )?model\b/i,
  /\bno available channels?\b.{0,120}\bmodel\b/i,
  /当前分组.{0,80}下对于模型.{0,160}无可用渠道/,
  /无权(?:访问|使用)(?:该)?模型/,
];

/**
 * Whether the answer says the key cannot use the model. 400, 403 and 404 are how most gateways say it;
 * one-api and new-api say it with 503 (no channel serves the model for the key's group), which is then
 * not worth retrying.
 */
function isModelDenied(status: number, code: string | undefined, text: string | undefined): boolean {
  if (![400, 403, 404, 503].includes(status)) return false;
  return MODEL_DENIED_CODES.has(code ?? '') || MODEL_DENIED_TEXT.some((re) => re.test(text ?? ''));
}

export interface ResponseFailure {
  status: number;
  body: string;
  model: string;
  requestId?: string;
  secrets: readonly string[];
}

/**
 * What the server said, every field redacted before anything reads it: a gateway may echo the key in any of
 * them (message, code, type, param, or the text of an error page), and each one ends up in a message.
 */
function serverSaid(body: string, secrets: readonly string[]): ServerError {
  const parsed = parseServerError(body) ?? (body.trim() ? { message: firstTextLine(body) } : {});
  const clean = (v: string | undefined) => (v === undefined ? undefined : redact(v, secrets));
  return { message: clean(parsed.message), type: clean(parsed.type), code: clean(parsed.code), param: clean(parsed.param) };
}

/** The error for a non-2xx answer, worded by status and the server's own code. */
export function errorFromResponse(f: ResponseFailure): ImageApiError {
  const parsed = serverSaid(f.body, f.secrets);
  const serverMessage = parsed.message === undefined ? undefined : oneLine(parsed.message, 500);
  const code = parsed.code;
  const status = f.status;
  const said = { http: `HTTP ${status}${code ? ` ${code}` : ''}`, ...(serverMessage ? { server: oneLine(serverMessage) } : {}) };
  const base = { status, serverMessage, code, requestId: f.requestId, retriable: isRetriableStatus(status) };
  const make = <K extends MessageId>(kind: ErrorKind, id: K, params: MessageParams[K], retriable = base.retriable) =>
    new ImageApiError({ ...base, kind, detail: message(id, params), retriable });

  if (isSafetyRefusal(code, parsed.type)) {
    return make('badRequest', 'safetyRefused', { code: (code ?? parsed.type)!, server: said.server }, false);
  }
  if (status === 401) return make('authentication', 'keyRefused', said);
  // Only a request for a model can be refused for its model (listing the models sends none).
  if (f.model && (isModelDenied(status, code, serverMessage) || (status === 404 && /model/i.test(serverMessage ?? '')))) {
    return make(status === 404 ? 'notFound' : 'permission', 'modelUnavailable', { ...said, model: f.model }, false);
  }
  if (status === 403) return make('permission', 'keyNotAllowed', said);
  if (status === 404) return make('notFound', 'noSuchEndpoint', said);
  if (status === 413) return make('tooLarge', 'requestTooLarge', said);
  if (status === 429) {
    if (code === 'insufficient_quota' || /quota|balance|credit/i.test(code ?? '')) return make('rateLimit', 'outOfQuota', said, false);
    return make('rateLimit', 'rateLimited', said);
  }
  if (status === 408) return make('timeout', 'requestTimedOut', said);
  if (status === 504 || status === 524) return make('timeout', 'gatewayTimedOut', said);
  if (status >= 500) return make('server', 'serverError', said);
  if (status >= 300 && status < 400) return make('invalidResponse', 'redirected', { http: said.http });
  return make('badRequest', 'requestRejected', { ...said, ...(parsed.param ? { param: parsed.param } : {}) });
}

/** An answer that cannot be used: `what` is wrong with it; `remedy` says what to do (by default: check the base URL). */
export function invalidResponse(what: Message, remedy?: Message): ImageApiError {
  return new ImageApiError({ kind: 'invalidResponse', detail: message('unusableAnswer', { what, ...(remedy ? { remedy } : {}) }) });
}

/** The error for a call ended by the caller's cancel or by the overall deadline. */
export function abortError(cause: AbortCause, peer: Peer, timeoutMs: number): ImageApiError {
  if (cause === 'cancelled') return new ImageApiError({ kind: 'cancelled', detail: message('cancelled', {}) });
  return new ImageApiError({ kind: 'timeout', detail: message('noAnswerInTime', { peer, seconds: Math.round(timeoutMs / 100) / 10 }) });
}
