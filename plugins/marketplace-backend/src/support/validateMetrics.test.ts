import { parseIsoTime, validateMetrics } from './validateMetrics';

const now = new Date('2026-11-28T12:00:00Z');
const check = (body: unknown, bounded = true) =>
  validateMetrics(body, { now, bounded });
const opened = '2026-11-28T10:00:00Z';

describe('validateMetrics', () => {
  it('parses a body, keeps the last sample of a time and merges incidents by id', () => {
    const batch = check({
      samples: [
        { at: '2026-11-28T10:00:00Z', up: true, requests: 5, errors: 1 },
        // the same instant written differently: replaces the first
        { at: '2026-11-28T11:00:00.000+01:00', up: false },
        { at: '2026-11-28T10:01:00Z', up: true },
      ],
      incidents: [
        { id: 'INC-1', title: 'Relay down', openedAt: opened },
        {
          id: 'INC-1',
          openedAt: opened,
          acknowledgedAt: '2026-11-28T10:05:00Z',
        },
      ],
    });
    expect(batch.samples).toEqual([
      { index: 1, at: new Date('2026-11-28T10:00:00Z'), up: false },
      { index: 2, at: new Date('2026-11-28T10:01:00Z'), up: true },
    ]);
    expect(batch.incidents).toEqual([
      {
        index: 1,
        id: 'INC-1',
        title: 'Relay down',
        openedAt: new Date(opened),
        acknowledgedAt: new Date('2026-11-28T10:05:00Z'),
      },
    ]);
  });

  it.each([
    [
      {
        incidents: [
          { id: 'a', openedAt: opened, acknowledgedAt: '2026-11-28T09:59:59Z' },
        ],
      },
      'incidents[0].acknowledgedAt is before openedAt',
    ],
    [
      {
        incidents: [
          { id: 'a', openedAt: opened },
          { id: 'b', openedAt: opened },
          { id: 'c', openedAt: opened, resolvedAt: '2026-11-27T10:00:00Z' },
        ],
      },
      'incidents[2].resolvedAt is before openedAt',
    ],
    [
      {
        incidents: [
          { id: 'a', openedAt: opened, acknowledgedAt: '2026-11-28T10:05:00Z' },
          { id: 'a', openedAt: '2026-11-28T10:10:00Z' },
        ],
      },
      'incidents[1].acknowledgedAt is before openedAt (merged with an earlier item',
    ],
    [
      { samples: [{ at: '2026-11-28 10:00', up: true }] },
      'samples[0].at must be an ISO 8601 time',
    ],
    [{ samples: [{ at: '2026-11-28T10:00:00', up: true }] }, 'samples[0].at'],
    [{ samples: [{ at: '2026-02-30T10:00:00Z', up: true }] }, 'samples[0].at'],
    [{ samples: [{ at: '2026-11-28T24:00:00Z', up: true }] }, 'samples[0].at'],
    [
      { samples: [{ at: '2026-11-28T12:11:00Z', up: true }] },
      'samples[0].at is in the future',
    ],
    [{ samples: [{ at: opened, up: 'yes' }] }, 'samples[0].up'],
    [
      { samples: [{ at: opened, up: true, requests: -1 }] },
      'samples[0].requests',
    ],
    [
      { samples: [{ at: opened, up: true, requests: 1.5 }] },
      'samples[0].requests',
    ],
    [
      { samples: [{ at: opened, up: true, errors: 1 }] },
      'samples[0].errors needs samples[0].requests',
    ],
    [
      { samples: [{ at: opened, up: true, requests: 1, errors: 2 }] },
      'samples[0].errors (2) is more than samples[0].requests (1)',
    ],
    [{ incidents: [{ id: '', openedAt: opened }] }, 'incidents[0].id'],
    [{ incidents: [{ id: 'a' }] }, 'incidents[0].openedAt'],
    [
      { incidents: [{ id: 'a', openedAt: opened, severity: 1 }] },
      "incidents[0] has unknown property 'severity'",
    ],
    [
      { incidents: [{ id: 'a', openedAt: opened, title: 'x'.repeat(501) }] },
      'incidents[0].title',
    ],
    [{ samples: 'many' }, 'samples must be an array'],
    [{ outages: [] }, "unknown property 'outages'"],
    [[], 'request/body must be an object'],
  ])('refuses %j naming the field', (body, message) => {
    expect(() => check(body)).toThrow(message);
  });

  it('bounds a request to 10,000 samples and 1,000 incidents; providers are not bounded', () => {
    const samples = Array.from({ length: 10_001 }, (_, i) => ({
      at: new Date(
        Date.parse('2026-11-01T00:00:00Z') + i * 60_000,
      ).toISOString(),
      up: true,
    }));
    expect(() => check({ samples })).toThrow(
      'samples has 10001 items; at most 10000 per request',
    );
    expect(check({ samples: samples.slice(1) }).samples).toHaveLength(10_000);
    expect(check({ samples }, false).samples).toHaveLength(10_001);
    const incidents = Array.from({ length: 1_001 }, (_, i) => ({
      id: `INC-${i}`,
      openedAt: opened,
    }));
    expect(() => check({ incidents })).toThrow(
      'incidents has 1001 items; at most 1000 per request',
    );
    expect(check({ incidents }, false).incidents).toHaveLength(1_001);
  });

  it('reads RFC 3339 times with a zone only', () => {
    expect(parseIsoTime('2026-11-28T10:00:00.123456Z')).toEqual(
      new Date('2026-11-28T10:00:00.123Z'),
    );
    expect(parseIsoTime('2026-11-28t11:00:00+01:00')).toEqual(
      new Date('2026-11-28T10:00:00Z'),
    );
    expect(parseIsoTime('2024-02-29T00:00:00Z')).toBeDefined();
    for (const bad of [
      '2026-11-28',
      1764324000000,
      '2025-02-29T00:00:00Z',
      '',
    ]) {
      expect(parseIsoTime(bad)).toBeUndefined();
    }
  });
});
