/**
 * Thrown (and reported as the rule's error) when a rule reads too many list elements.
 *
 * @internal
 */
export class ListReadBudgetExceededError extends Error {
  constructor(maxReads: number) {
    super(
      `evaluation stopped after reading ${maxReads} list elements of the input; ` +
        'the rule iterates too much (e.g. nested macros over facts.sbom.components)',
    );
    this.name = 'ListReadBudgetExceededError';
  }
}

/** Whether a property key is an array index; cheap, as it runs on every element read. */
function isIndex(key: string | symbol): boolean {
  if (typeof key !== 'string') return false;
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57;
}

/**
 * Wraps a JSON document, in place, so that reading list elements past `maxReads` throws.
 *
 * @internal
 */
export function meterListReads<T extends object>(options: {
  value: T;
  maxReads: number;
}): { value: T; reads(): number; exceeded(): boolean } {
  // Counting work instead of time keeps results deterministic: the same input always gives
  // the same outcome. Each macro step reads one element; listing a map's keys counts too.
  // Lists and maps are replaced by proxies in place, so callers pass a private copy.
  const { maxReads } = options;
  let reads = 0;
  const charge = (count: number) => {
    reads += count;
    if (reads > maxReads) throw new ListReadBudgetExceededError(maxReads);
  };

  const listHandler: ProxyHandler<unknown[]> = {
    get(target, key) {
      if (isIndex(key)) charge(1);
      return target[key as keyof unknown[]];
    },
  };
  // no `get` trap: field access on maps stays fast, only listing keys (map macros) counts
  const mapHandler: ProxyHandler<Record<string, unknown>> = {
    ownKeys(target) {
      const keys = Reflect.ownKeys(target);
      charge(keys.length);
      return keys;
    },
  };

  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = wrap(value[i]);
      return new Proxy(value, listHandler);
    }
    const map = value as Record<string, unknown>;
    for (const key of Object.keys(map)) map[key] = wrap(map[key]);
    return new Proxy(map, mapHandler);
  };

  return {
    value: wrap(options.value) as T,
    reads: () => reads,
    exceeded: () => reads > maxReads,
  };
}
