import { applyExceptions, findBlockers } from './exceptions';
import { summarizeGateRun, type GateResult } from './gates';

const now = new Date('2026-11-28T12:00:00Z');
const later = '2026-12-28T12:00:00.000Z';
const earlier = '2026-11-01T00:00:00.000Z';

const vulns: GateResult = {
  gateId: 'vulnerabilities',
  status: 'fail',
  enforcement: 'block',
  findings: [
    {
      id: 'GHSA-1:pkg:npm/a@1',
      severity: 'critical',
      message: 'a',
      blocking: true,
    },
    {
      id: 'GHSA-2:pkg:npm/b@1',
      severity: 'low',
      message: 'b',
      blocking: false,
    },
  ],
};
const secrets: GateResult = {
  gateId: 'secrets',
  status: 'fail',
  enforcement: 'block',
  findings: [
    { id: 's1', severity: 'high', message: 'key' },
    { id: 's2', severity: 'high', message: 'key' },
  ],
};

describe('applyExceptions', () => {
  it('covers a failing gate when every blocking finding has a valid exception', () => {
    const [result] = applyExceptions(
      [vulns],
      [
        {
          gateId: 'vulnerabilities',
          findingId: 'GHSA-1:pkg:npm/a@1',
          expiresAt: later,
        },
      ],
      now,
    );
    expect(result.excepted).toBe(true);
    expect(result.findings[0].exceptedUntil).toBe(later);
    expect(result.findings[1].exceptedUntil).toBeUndefined();
    expect(summarizeGateRun([result])).toBe('warn');
    expect(findBlockers([result])).toEqual([]);
  });

  it('does not cover a gate while one blocking finding is left', () => {
    const results = applyExceptions(
      [secrets],
      [{ gateId: 'secrets', findingId: 's1', expiresAt: later }],
      now,
    );
    expect(results[0].excepted).toBeUndefined();
    expect(findBlockers(results)).toEqual([
      { gateId: 'secrets', status: 'fail', findingIds: ['s2'] },
    ]);
  });

  it('ignores lapsed exceptions and exceptions of another gate, and drops old marks', () => {
    const marked = applyExceptions(
      [vulns],
      [
        {
          gateId: 'vulnerabilities',
          findingId: 'GHSA-1:pkg:npm/a@1',
          expiresAt: later,
        },
      ],
      now,
    );
    const reapplied = applyExceptions(
      marked,
      [
        {
          gateId: 'vulnerabilities',
          findingId: 'GHSA-1:pkg:npm/a@1',
          expiresAt: earlier,
        },
        {
          gateId: 'licenses',
          findingId: 'GHSA-1:pkg:npm/a@1',
          expiresAt: later,
        },
      ],
      now,
    );
    expect(reapplied[0].excepted).toBeUndefined();
    expect(reapplied[0].findings[0].exceptedUntil).toBeUndefined();
    expect(summarizeGateRun(reapplied)).toBe('fail');
  });

  it('never covers a failing gate without findings, nor one that only warns', () => {
    const empty: GateResult = { ...secrets, findings: [] };
    const warn: GateResult = { ...secrets, status: 'warn' };
    const results = applyExceptions(
      [empty, warn],
      [{ gateId: 'secrets', findingId: 's1', expiresAt: later }],
      now,
    );
    expect(results[0].excepted).toBeUndefined();
    expect(results[1].excepted).toBeUndefined();
    expect(findBlockers(results)).toEqual([
      { gateId: 'secrets', status: 'fail', findingIds: [] },
    ]);
  });
});
