/**
 * Thrown (and reported as the rule's error) when a rule reads too many list elements.
 *
 * @internal
 */
export class ListReadBudgetExceededError extends Error {
  constructor(maxReads: number) {
    super(
      `evaluation stopped after reading ${maxReads} list elements of the input, ` +
        'the limit of marketplace.policy.maxListReads; the rule iterates too much ' +
        '(e.g. nested macros over facts.sbom.components)',
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

/** The budget of the evaluation running now; evaluation is synchronous, so one at a time. */
let active: { reads: number; maxReads: number } | undefined;

function charge(count: number) {
  if (!active) return;
  active.reads += count;
  if (active.reads > active.maxReads) {
    throw new ListReadBudgetExceededError(active.maxReads);
  }
}

// Proxies are made once per object and kept while the object lives: the facts of an
// unchanged SBOM are the same objects run after run, so they are not wrapped again.
const proxies = new WeakMap<object, object>();
const handlers: { list?: ProxyHandler<any>; map?: ProxyHandler<any> } = {};
function wrap(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const known = proxies.get(value);
  if (known) return known;
  const proxy = new Proxy(
    value,
    Array.isArray(value) ? handlers.list! : handlers.map!,
  );
  proxies.set(value, proxy);
  return proxy;
}
handlers.list = {
  get(target, key) {
    if (isIndex(key)) charge(1);
    return wrap(Reflect.get(target, key));
  },
};
// field access on maps is not counted; listing a map's keys (map macros) is
handlers.map = {
  get(target, key) {
    return wrap(Reflect.get(target, key));
  },
  ownKeys(target) {
    const keys = Reflect.ownKeys(target);
    charge(keys.length);
    return keys;
  },
};

/**
 * Wraps a JSON document so that, inside `run`, reading list elements past `maxReads`
 * throws. The document itself is not changed: proxies are made lazily, for what a rule
 * actually reaches, so one copy of the input serves every rule of a run.
 *
 * @internal
 */
export function meterListReads<T extends object>(options: {
  value: T;
  maxReads: number;
}): {
  value: T;
  run<R>(fn: () => R): R;
  reads(): number;
  exceeded(): boolean;
} {
  // Counting work instead of time keeps results deterministic: the same input always gives
  // the same outcome. Each macro step reads one element; listing a map's keys counts too.
  const budget = { reads: 0, maxReads: options.maxReads };
  return {
    value: wrap(options.value) as T,
    run(fn) {
      const outer = active;
      active = budget;
      try {
        return fn();
      } finally {
        active = outer;
      }
    },
    reads: () => budget.reads,
    exceeded: () => budget.reads > budget.maxReads,
  };
}
