import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  marketplaceServiceRef,
  policyGatesExtensionPoint,
} from '@microapps/plugin-marketplace-node';
import { catalogModuleMarketplace } from './module';
import { MicroAppProcessor } from './processor/MicroAppProcessor';

describe('catalogModuleMarketplace', () => {
  it('adds the MicroApp processor, which also runs gates that other modules add', async () => {
    const extensionPoint = { addProcessor: jest.fn() };
    const recordGateRun = jest.fn(async () => ({ id: '1', created: true }));
    // the backend approved Vetted; the YAML asks for nothing, so Discover is only the default
    const getTierStates = jest.fn(async (refs: string[]) =>
      refs.map(entityRef => ({
        entityRef,
        tier: 'vetted' as const,
        expired: false,
        expiresAt: null,
        exceptions: [],
      })),
    );
    const extraGate = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'extra-gate',
      register(reg) {
        reg.registerInit({
          deps: { gates: policyGatesExtensionPoint },
          async init({ gates }) {
            gates.addGates({
              id: 'dora',
              title: 'DORA register',
              async evaluate({ entity }) {
                return {
                  status:
                    entity.metadata.name === 'registered' ? 'pass' : 'fail',
                  findings: [],
                };
              },
            });
          },
        });
      },
    });
    await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint]],
      features: [
        catalogModuleMarketplace,
        extraGate,
        mockServices.rootConfig.factory({ data: {} }),
        createServiceFactory({
          service: marketplaceServiceRef,
          deps: {},
          factory: () => ({
            recordGateRun,
            getTierStates,
            registerApp: jest.fn(),
          }),
        }),
      ],
    });
    expect(extensionPoint.addProcessor).toHaveBeenCalledWith(
      expect.any(MicroAppProcessor),
    );
    const processor: MicroAppProcessor =
      extensionPoint.addProcessor.mock.calls[0][0];
    const entity = {
      apiVersion: 'microapps.dev/v1alpha1',
      kind: 'MicroApp',
      metadata: { name: 'unregistered', namespace: 'default' },
      spec: {
        type: 'web-app',
        owner: 'group:default/a',
        cost: { center: 'C', monthlyForecast: 1 },
      },
    };
    const processed = await processor.postProcessEntity(
      entity,
      { type: 'url', target: 'https://example.com/x.yaml' },
      jest.fn(),
    );
    expect(getTierStates).toHaveBeenCalledWith([
      'microapp:default/unregistered',
    ]);
    // the label is the tier the backend approved, and the gates ran at it
    expect(processed.metadata.labels?.['microapps.dev/tier']).toBe('vetted');
    expect(recordGateRun).toHaveBeenCalledTimes(1);
    const run = (recordGateRun.mock.calls[0] as any)[0];
    expect(run.results.map((r: any) => r.gateId)).toEqual(
      expect.arrayContaining([
        'metadata',
        'sbom',
        'vulnerabilities',
        'licenses',
        'secrets',
        'privileges',
        'cost',
        'dora',
      ]),
    );
    expect(run.tier).toBe('vetted');
    expect(run.results.find((r: any) => r.gateId === 'dora')).toMatchObject({
      status: 'fail',
      enforcement: 'block',
    });
  });

  it.each([
    [{ gates: { sbom: { maxDepth: 0 } } }, 'marketplace.gates.sbom.maxDepth'],
    [
      { gates: { vulnerabilities: { limits: { maxEntryBytes: -1 } } } },
      'marketplace.gates.vulnerabilities.limits.maxEntryBytes',
    ],
    [
      { policy: { limits: { maxRules: 0.5 } } },
      'marketplace.policy.limits.maxRules',
    ],
    [{ reading: { timeoutMs: 0 } }, 'marketplace.reading.timeoutMs'],
  ])(
    'stops at start on a bound that is not a positive integer (%j), naming the key',
    async (marketplace, key) => {
      await expect(
        startTestBackend({
          extensionPoints: [
            [catalogProcessingExtensionPoint, { addProcessor: jest.fn() }],
          ],
          features: [
            catalogModuleMarketplace,
            mockServices.rootConfig.factory({ data: { marketplace } }),
            createServiceFactory({
              service: marketplaceServiceRef,
              deps: {},
              factory: () => ({
                recordGateRun: jest.fn(),
                getTierStates: jest.fn(),
                registerApp: jest.fn(),
              }),
            }),
          ],
        }),
      ).rejects.toThrow(`${key} must be a positive integer`);
    },
  );
});
