import { ConfigReader } from '@backstage/config';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { marketplaceLifecycleExtensionPoint } from '@microapps/plugin-marketplace-node';
import { marketplacePlugin } from '../../plugin';
import { readIdleConfig } from './readIdleConfig';

const read = (lifecycle: object) =>
  readIdleConfig(new ConfigReader({ marketplace: { lifecycle } }));

/** A module adding an activity signal with this id. */
const signalModule = (moduleId: string, id: string) =>
  createBackendModule({
    pluginId: 'marketplace',
    moduleId,
    register(reg) {
      reg.registerInit({
        deps: { lifecycle: marketplaceLifecycleExtensionPoint },
        async init({ lifecycle }) {
          lifecycle.addActivitySignal({
            id,
            lastActivity: async () => new Map(),
          });
        },
      });
    },
  });

const start = (lifecycle: object, modules: any[] = []) =>
  startTestBackend({
    features: [
      marketplacePlugin,
      ...modules,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: { marketplace: { lifecycle } } }),
    ],
  });

describe('idle detection settings', () => {
  it('defaults to 30 days, checked daily', () => {
    expect(read({})).toEqual({ idleAfterDays: 30, checkEvery: { hours: 24 } });
    expect(read({ idleAfterDays: '45' }).idleAfterDays).toBe(45);
    expect(read({ idleAfterDays: 7, idleCheckEvery: 'PT6H' })).toEqual({
      idleAfterDays: 7,
      checkEvery: { hours: 6 },
    });
    expect(read({ idleAfterDays: 365, idleCheckEvery: { hours: 12 } })).toEqual(
      { idleAfterDays: 365, checkEvery: { hours: 12 } },
    );
  });

  it.each([6, 366, 30.5, 'thirty', 0])(
    'refuses idleAfterDays %j, naming the key',
    days => {
      expect(() => read({ idleAfterDays: days })).toThrow(
        `marketplace.lifecycle.idleAfterDays must be a whole number of days from 7 to 365, got ${JSON.stringify(
          days,
        )}`,
      );
    },
  );

  it.each(['soon', { fortnights: 1 }])(
    'refuses idleCheckEvery %j, naming the key',
    every => {
      expect(() => read({ idleCheckEvery: every })).toThrow(
        /^marketplace\.lifecycle\.idleCheckEvery must be a duration/,
      );
    },
  );

  it('stops the backend at startup on a bad setting', async () => {
    await expect(start({ idleAfterDays: 400 })).rejects.toThrow(
      /marketplace\.lifecycle\.idleAfterDays must be a whole number of days from 7 to 365, got 400/,
    );
    const backend = await start({ idleAfterDays: 14 }, [
      signalModule('deployments', 'deployments'),
    ]);
    await backend.stop();
  });

  it('refuses a module signal whose id is taken', async () => {
    await expect(start({}, [signalModule('mine', 'usage')])).rejects.toThrow(
      /Activity signal id 'usage' is taken/,
    );
    await expect(
      start({}, [signalModule('a', 'deploys'), signalModule('b', 'deploys')]),
    ).rejects.toThrow(/Activity signal id 'deploys' is taken/);
  });
});
