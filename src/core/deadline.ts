// One overall deadline for a call (retries and downloads included) merged with the caller's cancel,
// remembering which of the two ended it so errors can say "timed out" or "cancelled".

export type AbortCause = 'timeout' | 'cancelled';

export interface Deadline {
  readonly signal: AbortSignal;
  /** Why the signal aborted, once it has. */
  cause(): AbortCause | undefined;
  remainingMs(): number;
  readonly timeoutMs: number;
  dispose(): void;
}

export function startDeadline(timeoutMs: number, outer?: AbortSignal, now: () => number = Date.now): Deadline {
  const controller = new AbortController();
  const end = now() + timeoutMs;
  let why: AbortCause | undefined;
  const abort = (cause: AbortCause) => {
    if (controller.signal.aborted) return;
    why = cause;
    controller.abort(new Error(cause === 'timeout' ? `Timed out after ${timeoutMs} ms` : 'Cancelled'));
  };
  const timer = setTimeout(() => abort('timeout'), timeoutMs);
  const onCancel = () => abort('cancelled');
  if (outer?.aborted) onCancel();
  else outer?.addEventListener('abort', onCancel, { once: true });
  return {
    signal: controller.signal,
    cause: () => why,
    remainingMs: () => Math.max(0, end - now()),
    timeoutMs,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onCancel);
    },
  };
}
