import { mockServices } from '@backstage/backend-test-utils';
import { TierStateLoader } from './TierStateLoader';

function fakeCache() {
  const values = new Map<string, unknown>();
  return {
    get: jest.fn(async (key: string) => values.get(key) as any),
    set: jest.fn(async (key: string, value: unknown) => {
      values.set(key, value);
    }),
  };
}

describe('TierStateLoader', () => {
  it('asks for the apps processed together in one request', async () => {
    const getTierStates = jest.fn(async (refs: string[]) =>
      refs.map(entityRef => ({
        entityRef,
        tier: 'vetted' as const,
        expired: false,
        expiresAt: null,
        exceptions: [],
      })),
    );
    const loader = new TierStateLoader({
      marketplace: {
        getTierStates,
        recordGateRun: jest.fn(),
        registerApp: jest.fn(),
      },
      logger: mockServices.logger.mock(),
    });
    const states = await Promise.all(
      ['microapp:default/A', 'microapp:default/b', 'microapp:default/c'].map(
        ref => loader.load(ref, undefined),
      ),
    );
    expect(getTierStates).toHaveBeenCalledTimes(1);
    expect(getTierStates).toHaveBeenCalledWith([
      'microapp:default/a',
      'microapp:default/b',
      'microapp:default/c',
    ]);
    expect(states.map(s => s.tier)).toEqual(['vetted', 'vetted', 'vetted']);
  });

  it('keeps the last known state when the backend cannot answer, Discover for a new app', async () => {
    let up = true;
    const getTierStates = jest.fn(async (refs: string[]) => {
      if (!up) throw new Error('connection refused');
      return refs.map(entityRef => ({
        entityRef,
        tier: 'enterprise' as const,
        expired: false,
        expiresAt: null,
        exceptions: [],
      }));
    });
    const logger = mockServices.logger.mock();
    const loader = new TierStateLoader({
      marketplace: {
        getTierStates,
        recordGateRun: jest.fn(),
        registerApp: jest.fn(),
      },
      logger,
    });
    const cache = fakeCache();
    expect((await loader.load('microapp:default/a', cache)).tier).toBe(
      'enterprise',
    );
    up = false;
    expect((await loader.load('microapp:default/a', cache)).tier).toBe(
      'enterprise',
    );
    expect((await loader.load('microapp:default/new', fakeCache())).tier).toBe(
      'discover',
    );
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('fails a lookup the backend leaves out, rather than guessing', async () => {
    const loader = new TierStateLoader({
      marketplace: {
        getTierStates: jest.fn(async () => []),
        recordGateRun: jest.fn(),
        registerApp: jest.fn(),
      },
      logger: mockServices.logger.mock(),
    });
    const cache = fakeCache();
    await cache.set('marketplace-tier-state', {
      entityRef: 'microapp:default/a',
      tier: 'vetted',
      exceptions: [],
    });
    expect((await loader.load('microapp:default/a', cache)).tier).toBe(
      'vetted',
    );
  });
});
