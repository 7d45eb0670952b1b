import { monthRange } from '../months';
import type {
  AppSlaFigures,
  SlaTier,
} from '@microapps/plugin-marketplace-common';

const MINUTE_MS = 60_000;

/** The availability samples of one app in one month, summed. */
export type SampleTotals = {
  /** How many samples. */
  samples: number;
  /** How many of them were up. */
  up: number;
  /** Σ requests over the samples that carry a request count. */
  requests: number;
  /** Σ errors. */
  errors: number;
};

/** One incident, as stored (merged over every post that named it). */
export type IncidentTimes = {
  id: string;
  openedAt: Date;
  acknowledgedAt?: Date;
  resolvedAt?: Date;
};

export const NO_SAMPLES: SampleTotals = Object.freeze({
  samples: 0,
  up: 0,
  requests: 0,
  errors: 0,
});

/** Whether `tier` is one of the SLA tiers (S1, S2, S3). */
export function isSlaTier(
  tier: string | undefined,
  targets: Record<SlaTier, number>,
): tier is SlaTier {
  return tier !== undefined && Object.hasOwn(targets, tier);
}

/** Sums availability samples (what the database does for the stored ones). */
export function sumSamples(
  samples: Array<{ up: boolean; requests?: number; errors?: number }>,
): SampleTotals {
  const totals = { ...NO_SAMPLES };
  for (const s of samples) {
    totals.samples += 1;
    if (s.up) totals.up += 1;
    totals.requests += s.requests ?? 0;
    totals.errors += s.errors ?? 0;
  }
  return totals;
}

/** part / whole × 100 with three decimals, from integers (no drift before the last step). */
const percent3 = (part: number, whole: number) =>
  Math.round((part * 100_000) / whole) / 1000;

/** A mean duration in minutes, one decimal. */
const meanMinutes1 = (totalMs: number, count: number) =>
  Math.round(totalMs / count / (MINUTE_MS / 10)) / 10;

/**
 * The SLA figures of one app for one month (UTC):
 * - uptime = up samples / samples × 100 (three decimals), absent without samples;
 * - error rate = Σ errors / Σ requests × 100 (three decimals), absent without requests;
 * - incidents = those opened in the month; MTTA = mean(acknowledgedAt − openedAt) over the
 *   acknowledged ones, MTTR = mean(resolvedAt − openedAt) over the resolved ones, in minutes
 *   with one decimal;
 * - a breach = an incident of the month whose first response (its acknowledgement, or its
 *   resolution when that came first, e.g. an alert that cleared itself) took longer than the
 *   tier's response target, or that has had no response and is older than the target at
 *   `now`; without an SLA tier nothing is a breach;
 * - state: `no-data` without samples and incidents in the month, `breached` with a breach,
 *   `met` otherwise.
 */
export function computeSla(input: {
  /** `YYYY-MM`. */
  month: string;
  /** `spec.support.slaTier`; anything but S1, S2, S3 counts as none. */
  slaTier?: string;
  /** Response target per tier, in minutes. */
  targets: Record<SlaTier, number>;
  /** The samples of the month, summed. */
  samples: SampleTotals;
  /** Incidents; those not opened in the month are left out. */
  incidents: IncidentTimes[];
  /** The newest sample or incident time of any month. */
  lastReportedAt?: Date;
  now: Date;
}): AppSlaFigures {
  const { month, targets, samples, now } = input;
  const { start, end } = monthRange(month);
  const slaTier = isSlaTier(input.slaTier, targets) ? input.slaTier : undefined;
  const target = slaTier ? targets[slaTier] : undefined;
  const incidents = input.incidents
    .filter(i => i.openedAt >= start && i.openedAt < end)
    .sort((a, b) => +a.openedAt - +b.openedAt || a.id.localeCompare(b.id));

  let ackMs = 0;
  let acked = 0;
  let resolveMs = 0;
  let resolved = 0;
  const breaches: AppSlaFigures['breaches'] = [];
  for (const incident of incidents) {
    const opened = incident.openedAt.getTime();
    if (incident.acknowledgedAt) {
      ackMs += incident.acknowledgedAt.getTime() - opened;
      acked += 1;
    }
    if (incident.resolvedAt) {
      resolveMs += incident.resolvedAt.getTime() - opened;
      resolved += 1;
    }
    if (target === undefined) continue;
    const responses = [incident.acknowledgedAt, incident.resolvedAt].flatMap(
      t => (t ? [t.getTime()] : []),
    );
    if (responses.length) {
      const minutes = (Math.min(...responses) - opened) / MINUTE_MS;
      if (minutes > target) {
        breaches.push({
          incidentId: incident.id,
          minutesToAcknowledge: Math.round(minutes * 10) / 10,
        });
      }
    } else if ((now.getTime() - opened) / MINUTE_MS > target) {
      breaches.push({ incidentId: incident.id, minutesToAcknowledge: null });
    }
  }

  let state: AppSlaFigures['state'] = 'met';
  if (!samples.samples && !incidents.length) state = 'no-data';
  else if (breaches.length) state = 'breached';

  return {
    month,
    ...(slaTier && { slaTier, responseTargetMinutes: target }),
    ...(samples.samples > 0 && {
      uptimePercent: percent3(samples.up, samples.samples),
    }),
    ...(samples.requests > 0 && {
      errorRatePercent: percent3(samples.errors, samples.requests),
    }),
    incidents: incidents.length,
    ...(acked > 0 && { mttaMinutes: meanMinutes1(ackMs, acked) }),
    ...(resolved > 0 && { mttrMinutes: meanMinutes1(resolveMs, resolved) }),
    breaches,
    state,
    ...(input.lastReportedAt && {
      lastReportedAt: input.lastReportedAt.toISOString(),
    }),
  };
}
