import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import type { GateRun } from '@microapps/plugin-marketplace-common';
import { marketplaceServiceRef } from '@microapps/plugin-marketplace-node';
import { catalogModuleMarketplace } from '../module';
import type { MicroAppProcessor } from '../processor/MicroAppProcessor';

/**
 * Starts the catalog module on a test backend with this `marketplace` config, reading from
 * a loopback server on `port`; returns the processor it registers and the gate runs it sends
 * (every app is in Discover). The backend is stopped by backend-test-utils after the file.
 */
export async function startModuleBackend(options: {
  port: number;
  marketplace: object;
}) {
  const extensionPoint = { addProcessor: jest.fn() };
  const recordGateRun = jest.fn(async (_run: GateRun) => ({
    id: '1',
    created: true,
  }));
  await startTestBackend({
    extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint]],
    features: [
      catalogModuleMarketplace,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            reading: { allow: [{ host: `127.0.0.1:${options.port}` }] },
          },
          marketplace: options.marketplace,
        },
      }),
      createServiceFactory({
        service: marketplaceServiceRef,
        deps: {},
        factory: () => ({
          recordGateRun,
          getTierStates: async (refs: string[]) =>
            refs.map(entityRef => ({
              entityRef,
              tier: 'discover' as const,
              expired: false,
              expiresAt: null,
              exceptions: [],
            })),
          registerApp: jest.fn(),
        }),
      }),
    ],
  });
  const processor: MicroAppProcessor =
    extensionPoint.addProcessor.mock.calls[0][0];
  return { processor, recordGateRun };
}
