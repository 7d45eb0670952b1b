import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type { SupportMetricsProvider } from '@microapps/plugin-marketplace-node';
import { MetricsPuller, scheduleMetricsPullJob } from './MetricsPuller';

const NOW = new Date('2026-11-28T12:00:00Z');
const RELAY = 'microapp:default/mail-relay-monitor';
const STATUS = 'microapp:default/status-page';

function setup(providers: SupportMetricsProvider[]) {
  const pulls = new Map<string, Date>();
  const store = {
    lastPull: jest.fn(async (id: string) => pulls.get(id)),
    recordPull: jest.fn(async (id: string, at: Date) => {
      pulls.set(id, at);
    }),
  };
  const ingest = {
    storeFromProvider: jest.fn(
      async (_ref: string, _source: string, body: any) => ({
        samples: body.samples?.length ?? 0,
        incidents: body.incidents?.length ?? 0,
      }),
    ),
  };
  let now = NOW;
  const puller = new MetricsPuller({
    providers,
    ingest,
    store,
    listApps: async () => [RELAY, STATUS],
    logger: mockServices.logger.mock(),
    now: () => now,
  });
  return {
    puller,
    ingest,
    store,
    pulls,
    moveTo: (at: Date) => {
      now = at;
    },
  };
}

const provider = (
  id: string,
  read: SupportMetricsProvider['readMetrics'],
): SupportMetricsProvider & { readMetrics: jest.Mock } => ({
  id,
  readMetrics: jest.fn(read),
});

describe('MetricsPuller', () => {
  it('asks each provider for the last 30 days first, then since its last good pull', async () => {
    const pager = provider('pagerduty', async () => [
      {
        entityRef: 'MicroApp:default/Mail-Relay-Monitor',
        incidents: [{ id: 'P1', openedAt: '2026-11-28T10:00:00Z' }],
      },
    ]);
    const { puller, ingest, moveTo } = setup([pager]);
    expect(await puller.pullAll()).toEqual([
      {
        providerId: 'pagerduty',
        since: '2026-10-29T12:00:00.000Z',
        apps: 1,
        samples: 0,
        incidents: 1,
        refused: 0,
      },
    ]);
    expect(pager.readMetrics).toHaveBeenCalledWith({
      entityRefs: [RELAY, STATUS],
      since: new Date('2026-10-29T12:00:00Z'),
    });
    expect(ingest.storeFromProvider).toHaveBeenCalledWith(RELAY, 'pagerduty', {
      incidents: [{ id: 'P1', openedAt: '2026-11-28T10:00:00Z' }],
    });
    moveTo(new Date('2026-11-28T12:15:00Z'));
    await puller.pullAll();
    expect(pager.readMetrics).toHaveBeenLastCalledWith({
      entityRefs: [RELAY, STATUS],
      since: NOW,
    });
  });

  it('skips unknown apps and invalid batches, and keeps the window of a provider that failed', async () => {
    const broken = provider('broken', async () => {
      throw new Error('503 from the vendor');
    });
    const sloppy = provider('sloppy', async () => [
      { entityRef: 'microapp:default/nope', samples: [] },
      { entityRef: STATUS, samples: [{ at: 'yesterday', up: true }] },
      { entityRef: RELAY, samples: [{ at: '2026-11-28T11:00:00Z', up: true }] },
    ]);
    const { puller, ingest, pulls, moveTo } = setup([broken, sloppy]);
    ingest.storeFromProvider.mockImplementation(async (ref, _s, body) => {
      if (ref === STATUS) throw new InputError('samples[0].at must be …');
      return { samples: body.samples!.length, incidents: 0 };
    });
    const [failed, partly] = await puller.pullAll();
    expect(failed).toMatchObject({
      providerId: 'broken',
      failure: 'Error: 503 from the vendor',
    });
    expect(partly).toEqual({
      providerId: 'sloppy',
      since: '2026-10-29T12:00:00.000Z',
      apps: 1,
      samples: 1,
      incidents: 0,
      refused: 2,
    });
    expect(pulls.has('broken')).toBe(false);
    expect(pulls.get('sloppy')).toEqual(NOW);

    moveTo(new Date('2026-11-28T12:15:00Z'));
    await puller.pullAll();
    // never successful: still 30 days back, from now; the other one from its last pull
    expect(broken.readMetrics).toHaveBeenLastCalledWith(
      expect.objectContaining({ since: new Date('2026-10-29T12:15:00Z') }),
    );
    expect(sloppy.readMetrics).toHaveBeenLastCalledWith(
      expect.objectContaining({ since: NOW }),
    );
  });

  it('keeps the window when storing fails for another reason than bad data', async () => {
    const pager = provider('pagerduty', async () => [
      { entityRef: RELAY, samples: [{ at: '2026-11-28T11:00:00Z', up: true }] },
    ]);
    const { puller, ingest, pulls } = setup([pager]);
    ingest.storeFromProvider.mockRejectedValue(new Error('database is locked'));
    const [summary] = await puller.pullAll();
    expect(summary.failure).toBe('Error: database is locked');
    expect(pulls.size).toBe(0);
  });

  it('schedules the job only when a provider is registered', async () => {
    const scheduler = mockServices.scheduler.mock();
    const options = {
      scheduler,
      config: {
        slaTargets: { S1: 60, S2: 240, S3: 1440 },
        pullEvery: { minutes: 5 },
      },
      puller: setup([]).puller,
    };
    expect(await scheduleMetricsPullJob({ ...options, providerCount: 0 })).toBe(
      false,
    );
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
    expect(await scheduleMetricsPullJob({ ...options, providerCount: 1 })).toBe(
      true,
    );
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'marketplace-metrics-pull',
        scope: 'global',
        frequency: { minutes: 5 },
      }),
    );
  });
});
