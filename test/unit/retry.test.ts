import assert from 'node:assert/strict';
import { test } from 'node:test';
import { englishMessage, message, type Message } from '../../src/core/messages';
import {
  backoffDelay,
  decideRetry,
  isBeforeSendFailure,
  isRetriableStatus,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  sleep,
} from '../../src/core/retry';

test('only 408, 429, 500, 502, 503 and 504 are retriable statuses', () => {
  const retriable = [];
  for (let s = 400; s < 600; s++) if (isRetriableStatus(s)) retriable.push(s);
  assert.deepEqual(retriable, [408, 429, 500, 502, 503, 504]);
});

test('only connection failures before sending count as retriable network errors', () => {
  assert.ok(isBeforeSendFailure('ECONNREFUSED'));
  assert.ok(isBeforeSendFailure('ENOTFOUND'));
  assert.ok(!isBeforeSendFailure('ECONNRESET'));
  assert.ok(!isBeforeSendFailure('ERR_CANCELED'));
  assert.ok(!isBeforeSendFailure(undefined));
});

test('backoff doubles from 0.5 s with jitter and caps at 8 s', () => {
  const low = () => 0;
  const high = () => 1;
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 9].map((i) => backoffDelay(i, low)),
    [250, 500, 1000, 2000, 4000, 4000, 4000],
  );
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 9].map((i) => backoffDelay(i, high)),
    [500, 1000, 2000, 4000, 8000, 8000, 8000],
  );
  for (let i = 0; i < 200; i++) {
    const d = backoffDelay(1);
    assert.ok(d >= 500 && d <= 1000, String(d));
  }
});

test('retry-after-ms wins, then retry-after in seconds or as an HTTP date', () => {
  const now = Date.parse('2026-05-01T12:00:00Z');
  assert.equal(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, now), 250);
  assert.equal(parseRetryAfter({ 'retry-after': '3' }, now), 3000);
  assert.equal(parseRetryAfter({ 'Retry-After': '1.5' }, now), 1500);
  assert.equal(parseRetryAfter({ 'retry-after': 'Fri, 01 May 2026 12:00:07 GMT' }, now), 7000);
  assert.equal(parseRetryAfter({ 'retry-after': 'Fri, 01 May 2026 11:00:00 GMT' }, now), 0, 'a past date means now');
  assert.equal(parseRetryAfter({ 'retry-after': 'soon' }, now), undefined);
  assert.equal(parseRetryAfter({}, now), undefined);
  assert.equal(parseRetryAfter({ 'retry-after': ['2', '5'] }, now), 2000);
});

test('decideRetry honours the retry count, the 60 s cap and the deadline', () => {
  const base = { retriable: true, retries: 0, maxRetries: 2, remainingMs: 300_000, random: () => 1 };
  assert.deepEqual(decideRetry(base), { retry: true, delayMs: 500 });
  assert.deepEqual(decideRetry({ ...base, retries: 1 }), { retry: true, delayMs: 1000 });
  assert.deepEqual(decideRetry({ ...base, retries: 2 }), { retry: false, reason: message('gaveUp', { retries: 2 }) });
  assert.deepEqual(decideRetry({ ...base, retriable: false }), { retry: false });
  assert.deepEqual(decideRetry({ ...base, maxRetries: 0 }), { retry: false });
  assert.deepEqual(decideRetry({ ...base, retryAfterMs: 2000 }), { retry: true, delayMs: 2000 });
  assert.deepEqual(decideRetry({ ...base, retryAfterMs: MAX_RETRY_AFTER_MS }), { retry: true, delayMs: MAX_RETRY_AFTER_MS });
  const long = decideRetry({ ...base, retryAfterMs: MAX_RETRY_AFTER_MS + 1 });
  assert.equal(long.retry, false);
  assert.match(englishMessage((long as { reason: Message }).reason), /server asked to wait 61 s/);
  assert.match(englishMessage((decideRetry({ ...base, remainingMs: 400 }) as { reason: Message }).reason), /no time left/);
});

test('sleep resolves, and rejects at once when aborted', async () => {
  await sleep(1);
  const controller = new AbortController();
  const pending = sleep(60_000, controller.signal);
  controller.abort(new Error('stop'));
  await assert.rejects(pending, /stop/);
  await assert.rejects(sleep(10, AbortSignal.abort(new Error('already'))), /already/);
});
