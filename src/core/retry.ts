// When a failed request may be sent again, and how long to wait first.
// Image generation is billed per request, so only failures that cannot have produced an image are retried.
import { message, type Message } from './messages';

export const DEFAULT_MAX_RETRIES = 2;
export const BASE_DELAY_MS = 500;
export const MAX_BACKOFF_MS = 8000;
/** A server asking for a longer wait is not retried: the user would stare at a spinner for minutes. */
export const MAX_RETRY_AFTER_MS = 60_000;

// 408, 429 and 5xx gateway hiccups; 504 means the gateway gave up before forwarding or the upstream
// answered nothing. 524 (a CDN timing out at ~100 s while the upstream keeps going, and billing) is not here.
const RETRIABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export function isRetriableStatus(status: number): boolean {
  return RETRIABLE_STATUSES.has(status);
}

/** Connection failures that happen before a byte of the request can have reached the server. */
const BEFORE_SEND_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);

export function isBeforeSendFailure(code: string | undefined): boolean {
  return code !== undefined && BEFORE_SEND_CODES.has(code);
}

/** Exponential backoff with jitter: half to all of 0.5 s, 1 s, 2 s … capped at 8 s. retryIndex counts from 0. */
export function backoffDelay(retryIndex: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** retryIndex);
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(1, Math.max(0, random())));
}

type HeaderValue = string | string[] | number | undefined | null;

function header(headers: Readonly<Record<string, HeaderValue>>, name: string): string | undefined {
  const value = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  if (value === undefined || value === null) return undefined;
  return String(Array.isArray(value) ? value[0] : value).trim();
}

/** The wait a server asks for in `retry-after-ms` or `retry-after` (seconds or an HTTP date), in ms. */
export function parseRetryAfter(headers: Readonly<Record<string, HeaderValue>>, now: number = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = header(headers, 'retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason?: Message };

export interface RetryInput {
  /** Whether the failure itself allows a retry (status in the list, or a connection failure before sending). */
  retriable: boolean;
  /** Retries made so far. */
  retries: number;
  maxRetries: number;
  /** What the server asked for, from parseRetryAfter. */
  retryAfterMs?: number;
  /** Time left before the overall deadline. */
  remainingMs: number;
  random?: () => number;
}

export function decideRetry(input: RetryInput): RetryDecision {
  if (!input.retriable || input.maxRetries <= 0) return { retry: false };
  if (input.retries >= input.maxRetries) {
    return { retry: false, reason: message('gaveUp', { retries: input.retries }) };
  }
  if (input.retryAfterMs !== undefined && input.retryAfterMs > MAX_RETRY_AFTER_MS) {
    return { retry: false, reason: message('serverAskedToWait', { seconds: Math.ceil(input.retryAfterMs / 1000) }) };
  }
  const delayMs = input.retryAfterMs ?? backoffDelay(input.retries, input.random);
  if (delayMs >= input.remainingMs) return { retry: false, reason: message('noTimeLeft', {}) };
  return { retry: true, delayMs };
}

/** Waits ms, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
