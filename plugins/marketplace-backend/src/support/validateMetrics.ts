import { InputError } from '@backstage/errors';

/** At most this many samples and incidents in one `POST …/metrics`. */
export const MAX_SAMPLES_PER_REQUEST = 10_000;
export const MAX_INCIDENTS_PER_REQUEST = 1_000;
/** Times further ahead of the server's clock than this are refused (clock skew allowed). */
export const MAX_FUTURE_MS = 10 * 60_000;
/** The largest request or error count of one sample. */
export const MAX_COUNT = 1e12;

/** A checked sample; `index` is its position in the request, for error messages. */
export type MetricSample = {
  index: number;
  at: Date;
  up: boolean;
  requests?: number;
  errors?: number;
};

/** A checked incident; duplicates of an id in one request are merged, later fields winning. */
export type MetricIncident = {
  index: number;
  id: string;
  title?: string;
  openedAt: Date;
  acknowledgedAt?: Date;
  resolvedAt?: Date;
};

export type MetricsBatch = {
  samples: MetricSample[];
  incidents: MetricIncident[];
};

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 time with a time zone (`2026-11-02T10:00:00Z`, `…+01:00`), or undefined. Dates
 * that do not exist (Feb 30, hour 24) are refused too, which `Date.parse` would roll over.
 */
export function parseIsoTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO.exec(value);
  if (!match) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1, 7).map(Number);
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (
    local.getUTCFullYear() !== y ||
    local.getUTCMonth() !== mo - 1 ||
    local.getUTCDate() !== d ||
    local.getUTCHours() !== h ||
    local.getUTCMinutes() !== mi ||
    local.getUTCSeconds() !== s
  ) {
    return undefined;
  }
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a metrics body (`MetricsIngestRequest`) and returns it with parsed times, samples
 * deduplicated by time (the last wins) and incidents merged by id. Every refusal is an
 * InputError (400) that names the field, e.g. `incidents[2].acknowledgedAt is before openedAt`.
 * `bounded` applies the per-request limits of the route; providers are not bounded.
 */
export function validateMetrics(
  body: unknown,
  options: { now: Date; bounded: boolean },
): MetricsBatch {
  if (!isRecord(body)) {
    throw new InputError('request/body must be an object');
  }
  const latest = options.now.getTime() + MAX_FUTURE_MS;
  const time = (field: string, value: unknown): Date => {
    const parsed = parseIsoTime(value);
    if (!parsed) {
      throw new InputError(
        `${field} must be an ISO 8601 time with a time zone, e.g. 2026-11-02T10:00:00Z; got ${JSON.stringify(
          value,
        )}`,
      );
    }
    if (parsed.getTime() > latest) {
      throw new InputError(
        `${field} is in the future (${value}); the server's time is ${options.now.toISOString()}`,
      );
    }
    return parsed;
  };
  const list = (field: 'samples' | 'incidents', max: number): unknown[] => {
    const value = body[field];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      throw new InputError(`${field} must be an array`);
    }
    if (options.bounded && value.length > max) {
      throw new InputError(
        `${field} has ${value.length} items; at most ${max} per request`,
      );
    }
    return value;
  };
  const count = (field: string, value: unknown): number | undefined => {
    if (value === undefined) return undefined;
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < 0 ||
      value > MAX_COUNT
    ) {
      throw new InputError(
        `${field} must be a whole number from 0 to ${MAX_COUNT}`,
      );
    }
    return value;
  };
  const text = (field: string, value: unknown, max: number, min = 0) => {
    if (typeof value !== 'string' || value.length < min || value.length > max) {
      throw new InputError(
        `${field} must be a string of ${min} to ${max} characters`,
      );
    }
    return value;
  };
  for (const key of Object.keys(body)) {
    if (key !== 'samples' && key !== 'incidents') {
      throw new InputError(
        `request/body has unknown property '${key}'; allowed: samples, incidents`,
      );
    }
  }

  const samples = new Map<number, MetricSample>();
  list('samples', MAX_SAMPLES_PER_REQUEST).forEach((raw, index) => {
    const field = `samples[${index}]`;
    if (!isRecord(raw)) throw new InputError(`${field} must be an object`);
    const at = time(`${field}.at`, raw.at);
    if (typeof raw.up !== 'boolean') {
      throw new InputError(`${field}.up must be true or false`);
    }
    const requests = count(`${field}.requests`, raw.requests);
    const errors = count(`${field}.errors`, raw.errors);
    if (errors !== undefined && requests === undefined) {
      throw new InputError(`${field}.errors needs ${field}.requests`);
    }
    if (errors !== undefined && errors > requests!) {
      throw new InputError(
        `${field}.errors (${errors}) is more than ${field}.requests (${requests})`,
      );
    }
    // one row per time: a later sample of the same time replaces it, as in the database
    samples.set(at.getTime(), {
      index,
      at,
      up: raw.up,
      ...(requests !== undefined && { requests }),
      ...(errors !== undefined && { errors }),
    });
  });

  const incidents = new Map<string, MetricIncident>();
  list('incidents', MAX_INCIDENTS_PER_REQUEST).forEach((raw, index) => {
    const field = `incidents[${index}]`;
    if (!isRecord(raw)) throw new InputError(`${field} must be an object`);
    const id = text(`${field}.id`, raw.id, 255, 1);
    const title =
      raw.title === undefined
        ? undefined
        : text(`${field}.title`, raw.title, 500);
    const openedAt = time(`${field}.openedAt`, raw.openedAt);
    const acknowledgedAt =
      raw.acknowledgedAt === undefined
        ? undefined
        : time(`${field}.acknowledgedAt`, raw.acknowledgedAt);
    const resolvedAt =
      raw.resolvedAt === undefined
        ? undefined
        : time(`${field}.resolvedAt`, raw.resolvedAt);
    for (const key of Object.keys(raw)) {
      if (
        !['id', 'title', 'openedAt', 'acknowledgedAt', 'resolvedAt'].includes(
          key,
        )
      ) {
        throw new InputError(`${field} has unknown property '${key}'`);
      }
    }
    const previous = incidents.get(id);
    const merged: MetricIncident = {
      index,
      id,
      openedAt,
      ...((title ?? previous?.title) !== undefined && {
        title: title ?? previous?.title,
      }),
      ...((acknowledgedAt ?? previous?.acknowledgedAt) && {
        acknowledgedAt: acknowledgedAt ?? previous?.acknowledgedAt,
      }),
      ...((resolvedAt ?? previous?.resolvedAt) && {
        resolvedAt: resolvedAt ?? previous?.resolvedAt,
      }),
    };
    checkOrder(
      merged,
      field,
      previous ? ` (merged with an earlier item of id '${id}')` : '',
    );
    incidents.set(id, merged);
  });

  return { samples: [...samples.values()], incidents: [...incidents.values()] };
}

/** Acknowledgement and resolution cannot come before the incident opened. */
export function checkOrder(
  incident: Pick<MetricIncident, 'openedAt' | 'acknowledgedAt' | 'resolvedAt'>,
  field: string,
  context = '',
) {
  for (const key of ['acknowledgedAt', 'resolvedAt'] as const) {
    const value = incident[key];
    if (value && value < incident.openedAt) {
      throw new InputError(`${field}.${key} is before openedAt${context}`);
    }
  }
}
