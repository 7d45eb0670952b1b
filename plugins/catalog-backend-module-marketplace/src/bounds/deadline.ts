/**
 * A time limit on a piece of work: its `signal` goes to whatever can be cancelled (UrlReader,
 * fetch), and `race` settles with the work or, when the time is up first, rejects with the
 * limit's own error, even when the work ignores the signal.
 *
 * @internal
 */
export interface Deadline {
  readonly signal: AbortSignal;
  race<T>(work: Promise<T>): Promise<T>;
  /** Stops the timer; the signal is not aborted. */
  clear(): void;
}

/**
 * Starts a deadline of `timeoutMs`. An aborted `signal` (the caller's own budget) ends it
 * early with the signal's reason.
 *
 * @internal
 */
export function startDeadline(options: {
  timeoutMs: number;
  /** The error the work rejects with when the time is up. */
  error: () => Error;
  signal?: AbortSignal;
}): Deadline {
  const { timeoutMs, error, signal: outer } = options;
  const controller = new AbortController();
  let reject!: (reason: unknown) => void;
  const expired = new Promise<never>((_, rejectExpired) => {
    reject = rejectExpired;
  });
  expired.catch(() => undefined);
  // registered before anyone else gets the signal, so the race ends with this error first
  controller.signal.addEventListener('abort', () =>
    reject(controller.signal.reason),
  );
  const timer = setTimeout(() => controller.abort(error()), timeoutMs);
  // a deadline never keeps the process alive on its own
  timer.unref?.();
  const onOuterAbort = () => controller.abort(outer!.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });

  return {
    signal: controller.signal,
    race<T>(work: Promise<T>): Promise<T> {
      // the loser of the race must not become an unhandled rejection
      work.catch(() => undefined);
      return Promise.race([work, expired]);
    },
    clear() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}
