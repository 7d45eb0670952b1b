import { mockServices } from '@backstage/backend-test-utils';
import type { GateRun } from '@microapps/plugin-marketplace-common';
import type { MarketplaceService } from '@microapps/plugin-marketplace-node';
import { GateRunRecorder } from './GateRunRecorder';

const HOUR = 60 * 60 * 1000;

function run(opa: 'pass' | 'error', at = '2026-11-29T10:00:00Z'): GateRun {
  return {
    entityRef: 'microapp:default/vulnerable',
    evaluatedAt: at,
    tier: 'vetted',
    // the app already fails on vulnerabilities: OPA's outage leaves the status as it is
    status: 'fail',
    inputHash: 'a'.repeat(64),
    results: [
      {
        gateId: 'vulnerabilities',
        status: 'fail',
        enforcement: 'block',
        findings: [{ id: 'GHSA-1', severity: 'high', message: 'vulnerable' }],
      },
      {
        gateId: 'policy:opa',
        status: opa,
        enforcement: 'block',
        findings: [],
        ...(opa === 'error' && { error: 'OPA did not answer' }),
      },
    ],
  } as GateRun;
}

describe('GateRunRecorder', () => {
  let clock: number;
  const recordGateRun = jest.fn();
  const recorder = () =>
    new GateRunRecorder({
      marketplace: { recordGateRun } as unknown as MarketplaceService,
      logger: mockServices.logger.mock(),
      now: () => clock,
    });

  beforeEach(() => {
    clock = Date.parse('2026-11-29T10:00:00Z');
    recordGateRun.mockReset().mockResolvedValue(undefined);
  });

  it('sends an unchanged run again only after an hour, whatever its evaluation time', async () => {
    const r = recorder();
    await r.record(run('pass'));
    clock += HOUR - 1;
    await r.record(run('pass', '2026-11-29T10:59:59Z'));
    expect(recordGateRun).toHaveBeenCalledTimes(1);
    clock += 1;
    await r.record(run('pass', '2026-11-29T11:00:00Z'));
    expect(recordGateRun).toHaveBeenCalledTimes(2);
  });

  it('sends at once a gate that turns to error while inputs and status stay the same', async () => {
    const r = recorder();
    await r.record(run('pass'));
    clock += 60_000;
    await r.record(run('error'));
    expect(recordGateRun).toHaveBeenCalledTimes(2);
    expect(recordGateRun.mock.calls[1][0].results[1].status).toBe('error');
    // and back when it recovers
    clock += 60_000;
    await r.record(run('pass'));
    expect(recordGateRun).toHaveBeenCalledTimes(3);
  });

  it('tries again on the next pass after the backend failed', async () => {
    const r = recorder();
    recordGateRun.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    await r.record(run('pass'));
    await r.record(run('pass'));
    expect(recordGateRun).toHaveBeenCalledTimes(2);
  });
});
