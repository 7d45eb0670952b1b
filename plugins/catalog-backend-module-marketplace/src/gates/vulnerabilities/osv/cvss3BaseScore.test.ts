import { advisorySeverity } from './advisorySeverity';
import { cvss3BaseScore } from './cvss3BaseScore';
import type { OsvAdvisory } from './OsvAdvisory';

describe('cvss3BaseScore', () => {
  // Scores as computed by FIRST's and NVD's calculators.
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L', 7.3],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
    ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H', 9.1],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
    // Temporal metrics do not change the base score; order does not matter.
    ['CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:P/RL:O', 9.8],
  ])('%s scores %s', (vector, score) => {
    expect(cvss3BaseScore({ vector })).toBe(score);
  });

  it.each([
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N',
    'AV:N/AC:L/Au:N/C:P/I:P/A:P',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
    'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  ])('refuses %s', vector => {
    expect(cvss3BaseScore({ vector })).toBeUndefined();
  });
});

describe('advisorySeverity', () => {
  const advisory = (extra: Partial<OsvAdvisory>): OsvAdvisory => ({
    id: 'GHSA-test',
    modified: '2024-01-01T00:00:00Z',
    ...extra,
  });

  it.each([
    ['CRITICAL', 'critical'],
    ['HIGH', 'high'],
    ['MODERATE', 'medium'],
    ['moderate', 'medium'],
    ['Medium', 'medium'],
    ['LOW', 'low'],
  ])('maps database_specific.severity %s to %s', (rating, severity) => {
    expect(
      advisorySeverity({
        advisory: advisory({ database_specific: { severity: rating } }),
      }),
    ).toEqual({
      severity,
      source: 'database',
    });
  });

  it('falls back to the CVSS v3 vector, skipping CVSS v4', () => {
    const result = advisorySeverity({
      advisory: advisory({
        database_specific: { severity: 'UNKNOWN' },
        severity: [
          {
            type: 'CVSS_V4',
            score:
              'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
          },
          {
            type: 'CVSS_V3',
            score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
          },
        ],
      }),
    });
    expect(result).toEqual({ severity: 'high', source: 'cvss', score: 7.5 });
  });

  it('reads a per-package CVSS vector too', () => {
    const result = advisorySeverity({
      advisory: advisory({
        affected: [
          {
            package: { ecosystem: 'npm', name: 'x' },
            severity: [
              {
                type: 'CVSS_V3',
                score: 'CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N',
              },
            ],
          },
        ],
      }),
    });
    expect(result).toEqual({ severity: 'low', source: 'cvss', score: 1.6 });
  });

  it('assumes medium when nothing is known', () => {
    expect(advisorySeverity({ advisory: advisory({ severity: [] }) })).toEqual({
      severity: 'medium',
      source: 'unknown',
    });
  });
});
