import { monthOf, monthRange } from '../months';
import { DEFAULT_SLA_RESPONSE_MINUTES } from '@microapps/plugin-marketplace-common';
import {
  computeSla,
  IncidentTimes,
  NO_SAMPLES,
  sumSamples,
} from './computeSla';

const t = (iso: string) => new Date(iso);
const targets = { ...DEFAULT_SLA_RESPONSE_MINUTES };
const NOW = t('2026-11-28T12:00:00Z');

/**
 * November 2026, opened → acknowledged → resolved (minutes after opening):
 *   A  03rd 08:00 → 08:12 (12)  → 09:30 (90)
 *   B  10th 14:00 → 15:25 (85)  → 18:00 (240)
 *   C  20th 23:50 → 21st 00:20 (30), not resolved
 *   D  28th 10:00, neither: 120 minutes old at NOW (12:00)
 *   E  31 Oct 23:30 → 1 Nov 03:00: opened in October, not November's
 *   F  15th 06:00, resolved 06:20 (20) without an acknowledgement
 */
const history: IncidentTimes[] = [
  {
    id: 'A',
    openedAt: t('2026-11-03T08:00:00Z'),
    acknowledgedAt: t('2026-11-03T08:12:00Z'),
    resolvedAt: t('2026-11-03T09:30:00Z'),
  },
  {
    id: 'B',
    openedAt: t('2026-11-10T14:00:00Z'),
    acknowledgedAt: t('2026-11-10T15:25:00Z'),
    resolvedAt: t('2026-11-10T18:00:00Z'),
  },
  {
    id: 'C',
    openedAt: t('2026-11-20T23:50:00Z'),
    acknowledgedAt: t('2026-11-21T00:20:00Z'),
  },
  { id: 'D', openedAt: t('2026-11-28T10:00:00Z') },
  {
    id: 'E',
    openedAt: t('2026-10-31T23:30:00Z'),
    acknowledgedAt: t('2026-11-01T03:00:00Z'),
  },
  {
    id: 'F',
    openedAt: t('2026-11-15T06:00:00Z'),
    resolvedAt: t('2026-11-15T06:20:00Z'),
  },
];

describe('computeSla', () => {
  it('computes MTTA, MTTR and breaches of S1 from a scripted history, by hand', () => {
    const figures = computeSla({
      month: '2026-11',
      slaTier: 'S1',
      targets,
      // 3 samples, 2 up: 2/3 = 66.6666… % → 66.667
      // 7 requests, 1 error: 1/7 = 14.285714… % → 14.286
      samples: sumSamples([
        { up: true, requests: 4, errors: 1 },
        { up: false, requests: 3 },
        { up: true },
      ]),
      incidents: history,
      lastReportedAt: t('2026-11-28T10:00:00Z'),
      now: NOW,
    });
    expect(figures).toEqual({
      month: '2026-11',
      slaTier: 'S1',
      responseTargetMinutes: 60,
      uptimePercent: 66.667,
      errorRatePercent: 14.286,
      // A, B, C, D, F (E opened in October)
      incidents: 5,
      // acknowledged: A 12, B 85, C 30 → 127 / 3 = 42.333… → 42.3
      mttaMinutes: 42.3,
      // resolved: A 90, B 240, F 20 → 350 / 3 = 116.666… → 116.7
      mttrMinutes: 116.7,
      // B took 85 > 60 minutes; D has had no response for 120 > 60 minutes; F was resolved
      // after 20 minutes, which answers it in time
      breaches: [
        { incidentId: 'B', minutesToAcknowledge: 85 },
        { incidentId: 'D', minutesToAcknowledge: null },
      ],
      state: 'breached',
      lastReportedAt: '2026-11-28T10:00:00.000Z',
    });
  });

  it('meets S2 with the same history: no response took 240 minutes', () => {
    const figures = computeSla({
      month: '2026-11',
      slaTier: 'S2',
      targets,
      samples: NO_SAMPLES,
      incidents: history,
      now: NOW,
    });
    expect(figures).toMatchObject({
      responseTargetMinutes: 240,
      incidents: 5,
      mttaMinutes: 42.3,
      mttrMinutes: 116.7,
      breaches: [],
      state: 'met',
    });
    expect(figures).not.toHaveProperty('uptimePercent');
    expect(figures).not.toHaveProperty('errorRatePercent');
  });

  it('flags an unanswered incident only once it is older than the target', () => {
    const open = [{ id: 'D', openedAt: t('2026-11-28T11:00:00Z') }];
    const at = (iso: string) =>
      computeSla({
        month: '2026-11',
        slaTier: 'S1',
        targets,
        samples: NO_SAMPLES,
        incidents: open,
        now: t(iso),
      });
    // exactly the target is in time; a second later it is not
    expect(at('2026-11-28T12:00:00Z').breaches).toEqual([]);
    expect(at('2026-11-28T12:00:01Z').breaches).toEqual([
      { incidentId: 'D', minutesToAcknowledge: null },
    ]);
  });

  it('takes an acknowledgement of exactly the target as met', () => {
    const figures = computeSla({
      month: '2026-11',
      slaTier: 'S1',
      targets,
      samples: NO_SAMPLES,
      incidents: [
        {
          id: 'X',
          openedAt: t('2026-11-02T10:00:00Z'),
          acknowledgedAt: t('2026-11-02T11:00:00Z'),
        },
        {
          id: 'Y',
          openedAt: t('2026-11-02T10:00:00Z'),
          acknowledgedAt: t('2026-11-02T11:00:30Z'),
        },
      ],
      now: NOW,
    });
    // (60 + 60.5) / 2 = 60.25 → 60.3
    expect(figures.mttaMinutes).toBe(60.3);
    expect(figures.breaches).toEqual([
      { incidentId: 'Y', minutesToAcknowledge: 60.5 },
    ]);
  });

  it('uses configured targets', () => {
    const figures = computeSla({
      month: '2026-11',
      slaTier: 'S1',
      targets: { ...targets, S1: 90 },
      samples: NO_SAMPLES,
      incidents: history,
      now: NOW,
    });
    // B (85) is in time now; D (120) is not
    expect(figures.breaches.map(b => b.incidentId)).toEqual(['D']);
    expect(figures.responseTargetMinutes).toBe(90);
  });

  it('knows no breach without an SLA tier, and no tier outside S1..S3', () => {
    for (const slaTier of [undefined, 'S9', 'toString']) {
      const figures = computeSla({
        month: '2026-11',
        slaTier,
        targets,
        samples: NO_SAMPLES,
        incidents: history,
        now: NOW,
      });
      expect(figures.breaches).toEqual([]);
      expect(figures.state).toBe('met');
      expect(figures).not.toHaveProperty('slaTier');
      expect(figures).not.toHaveProperty('responseTargetMinutes');
    }
  });

  it('says no-data without samples and incidents in the month', () => {
    expect(
      computeSla({
        month: '2026-12',
        slaTier: 'S1',
        targets,
        samples: NO_SAMPLES,
        incidents: history,
        lastReportedAt: t('2026-11-28T10:00:00Z'),
        now: t('2026-12-01T00:00:00Z'),
      }),
    ).toEqual({
      month: '2026-12',
      slaTier: 'S1',
      responseTargetMinutes: 60,
      incidents: 0,
      breaches: [],
      state: 'no-data',
      lastReportedAt: '2026-11-28T10:00:00.000Z',
    });
  });

  it('rounds uptime and error rate to three decimals', () => {
    const figures = computeSla({
      month: '2026-11',
      targets,
      // 9,999 of 10,000 up = 99.99 %; 1 of 30,000 requests = 0.00333… % → 0.003
      samples: { samples: 10_000, up: 9_999, requests: 30_000, errors: 1 },
      incidents: [],
      now: NOW,
    });
    expect(figures.uptimePercent).toBe(99.99);
    expect(figures.errorRatePercent).toBe(0.003);
    expect(figures.state).toBe('met');
  });

  it('leaves the error rate out when no requests were counted', () => {
    const figures = computeSla({
      month: '2026-11',
      targets,
      samples: sumSamples([{ up: true, requests: 0, errors: 0 }]),
      incidents: [],
      now: NOW,
    });
    expect(figures.uptimePercent).toBe(100);
    expect(figures).not.toHaveProperty('errorRatePercent');
  });

  it('finds months in UTC', () => {
    expect(monthOf(t('2026-11-30T23:59:59.999Z'))).toBe('2026-11');
    expect(monthOf(t('2026-12-01T00:30:00+01:00'))).toBe('2026-11');
    expect(monthRange('2026-12')).toEqual({
      start: t('2026-12-01T00:00:00Z'),
      end: t('2027-01-01T00:00:00Z'),
    });
  });
});
