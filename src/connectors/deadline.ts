// A request deadline that always fires. `AbortSignal.any([AbortSignal.timeout(ms), ...])` is not used: on
// Node 20 the combined signal can be garbage-collected before its timeout fires, and the fetch it guards
// then waits forever (seen as a poll round that never completed). Here the controller and the timer live
// until the work settles, and the timer is cleared so nothing lingers after it.

/** Runs `work` with a signal that aborts after `timeoutMs` or when `cancel` aborts, whichever is first. */
export async function withDeadline<T>(
  timeoutMs: number,
  cancel: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  const onCancel = () => controller.abort(cancel?.reason);
  if (cancel?.aborted) onCancel();
  else cancel?.addEventListener('abort', onCancel, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    cancel?.removeEventListener('abort', onCancel);
  }
}
