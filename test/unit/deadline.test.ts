import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDeadline } from '../../src/core/deadline';

test('a cancel signal that is already aborted ends the deadline at once, as cancelled', () => {
  const deadline = startDeadline(60_000, AbortSignal.abort());
  try {
    assert.equal(deadline.signal.aborted, true);
    assert.equal(deadline.cause(), 'cancelled');
  } finally {
    deadline.dispose();
  }
});

test('a cancel during the deadline ends it as cancelled; the timer ends it as timeout', async () => {
  const controller = new AbortController();
  const cancelled = startDeadline(60_000, controller.signal);
  assert.equal(cancelled.signal.aborted, false);
  controller.abort();
  assert.equal(cancelled.cause(), 'cancelled');
  cancelled.dispose();
  const timed = startDeadline(5);
  await new Promise((r) => timed.signal.addEventListener('abort', r, { once: true }));
  assert.equal(timed.cause(), 'timeout');
  timed.dispose();
});
