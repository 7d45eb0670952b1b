import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { readWholeNumber } from '../../bounds/readBound';

/** `marketplace.cost.focus.limits`: bounds of one FOCUS file, checked once at startup. */
export type FocusLimits = {
  /** Largest file, in bytes. */
  maxFileBytes: number;
  /** Most data records (good or malformed) in a file. */
  maxRows: number;
  /** Largest record, in bytes of its field contents (delimiters and quotes not counted). */
  maxRecordBytes: number;
  /** Longest one file may take to read, in milliseconds. */
  timeoutMs: number;
};

export const FOCUS_LIMIT_KEYS: Record<keyof FocusLimits, string> = {
  maxFileBytes: 'marketplace.cost.focus.limits.maxFileBytes',
  maxRows: 'marketplace.cost.focus.limits.maxRows',
  maxRecordBytes: 'marketplace.cost.focus.limits.maxRecordBytes',
  timeoutMs: 'marketplace.cost.focus.limits.timeout',
};

const UNITS: Record<keyof FocusLimits, string> = {
  maxFileBytes: 'bytes',
  maxRows: 'rows',
  maxRecordBytes: 'bytes',
  timeoutMs: 'ms',
};

/**
 * A month's export of a large account is a few hundred MB; the parser streams, so these bound
 * the time and the disk read rather than memory.
 */
export const DEFAULT_FOCUS_LIMITS: FocusLimits = {
  maxFileBytes: 1024 * 1024 * 1024,
  maxRows: 10_000_000,
  maxRecordBytes: 64 * 1024,
  timeoutMs: 10 * 60 * 1000,
};

/** A file over one of its limits: refused as a whole, so nothing stored from it changes. */
export class FocusLimitError extends Error {
  constructor(
    readonly limit: keyof FocusLimits,
    max: number,
    measured: string,
  ) {
    super(
      `${measured}: over the limit of ${max} ${UNITS[limit]} (${FOCUS_LIMIT_KEYS[limit]})`,
    );
    this.name = 'FocusLimitError';
  }
}

const TIMEOUT_MS = { min: 1000, max: 24 * 60 * 60 * 1000 };

function readTimeout(config: Config): number {
  const key = FOCUS_LIMIT_KEYS.timeoutMs;
  if (!config.has(key)) return DEFAULT_FOCUS_LIMITS.timeoutMs;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new InputError(
      `${key} must be a duration such as { minutes: 10 } or PT10M: ${error}`,
    );
  }
  if (!(ms >= TIMEOUT_MS.min && ms <= TIMEOUT_MS.max)) {
    throw new InputError(
      `${key} must be from 1 second to 24 hours, got ${ms} ms`,
    );
  }
  return ms;
}

/** Reads and checks `marketplace.cost.focus.limits`; a bad value fails startup naming its key. */
export function readFocusLimits(config: Config): FocusLimits {
  const whole = (
    limit: 'maxFileBytes' | 'maxRows' | 'maxRecordBytes',
    min: number,
  ) =>
    readWholeNumber(config, FOCUS_LIMIT_KEYS[limit], {
      min,
      max: Number.MAX_SAFE_INTEGER,
      fallback: DEFAULT_FOCUS_LIMITS[limit],
      unit: UNITS[limit],
    });
  return {
    maxFileBytes: whole('maxFileBytes', 1024),
    maxRows: whole('maxRows', 1),
    // the header is a record too
    maxRecordBytes: whole('maxRecordBytes', 1024),
    timeoutMs: readTimeout(config),
  };
}
