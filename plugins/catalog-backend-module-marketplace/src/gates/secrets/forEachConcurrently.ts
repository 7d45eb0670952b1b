/**
 * Runs `worker` over `items` with at most `concurrency` calls in flight; rejects with the
 * first error, after the calls already started have settled.
 *
 * @internal
 */
export async function forEachConcurrently<T>(options: {
  items: readonly T[];
  concurrency: number;
  worker: (item: T, index: number) => Promise<void>;
}): Promise<void> {
  const { items, worker } = options;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        await worker(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure) {
    throw failure.error;
  }
}
