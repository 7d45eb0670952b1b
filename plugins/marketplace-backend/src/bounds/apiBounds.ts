import type { Config } from '@backstage/config';
import { readWholeNumber } from './readBound';

/** `marketplace.api`: the bounds of request bodies, checked once at startup. */
export type ApiBounds = {
  /** Largest JSON body of every route but the metrics route, in bytes. */
  maxBodyBytes: number;
  /** Largest JSON body of `POST /apps/{namespace}/{name}/metrics`, in bytes. */
  metricsMaxBodyBytes: number;
  /** Largest JSON body of `POST /internal/gate-runs` (the catalog module's results), in bytes. */
  gateRunMaxBodyBytes: number;
  /** Deepest nesting of objects and arrays in a JSON body; `{}` is 1. */
  maxJsonDepth: number;
};

export const API_BOUND_KEYS: Record<keyof ApiBounds, string> = {
  maxBodyBytes: 'marketplace.api.maxBodyBytes',
  metricsMaxBodyBytes: 'marketplace.api.metricsMaxBodyBytes',
  gateRunMaxBodyBytes: 'marketplace.api.gateRunMaxBodyBytes',
  maxJsonDepth: 'marketplace.api.maxJsonDepth',
};

/**
 * express.json's 100 kB for ordinary routes and 5 MB for metrics, as before the keys existed.
 * A gate run gets 10 MiB: an app with a few hundred vulnerable or unlicensed components has
 * findings well beyond 100 kB, and refusing them would leave the app without gate results.
 */
export const DEFAULT_API_BOUNDS: ApiBounds = {
  maxBodyBytes: 100 * 1024,
  metricsMaxBodyBytes: 5 * 1024 * 1024,
  gateRunMaxBodyBytes: 10 * 1024 * 1024,
  maxJsonDepth: 16,
};

const MAX_BODY_BYTES = 100 * 1024 * 1024;
/** A gate run's findings are the deepest a valid body goes: run, results, result, findings, finding. */
const MIN_JSON_DEPTH = 5;

/** Reads and checks `marketplace.api`; a bad value fails startup with an error naming its key. */
export function readApiBounds(config: Config): ApiBounds {
  const bytes = (key: keyof ApiBounds) =>
    readWholeNumber(config, API_BOUND_KEYS[key], {
      min: 1024,
      max: MAX_BODY_BYTES,
      fallback: DEFAULT_API_BOUNDS[key],
      unit: 'bytes',
    });
  return {
    maxBodyBytes: bytes('maxBodyBytes'),
    metricsMaxBodyBytes: bytes('metricsMaxBodyBytes'),
    gateRunMaxBodyBytes: bytes('gateRunMaxBodyBytes'),
    maxJsonDepth: readWholeNumber(config, API_BOUND_KEYS.maxJsonDepth, {
      min: MIN_JSON_DEPTH,
      max: 1000,
      fallback: DEFAULT_API_BOUNDS.maxJsonDepth,
      unit: 'levels',
    }),
  };
}
