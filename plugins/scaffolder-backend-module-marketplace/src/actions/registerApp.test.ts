import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { MarketplaceService } from '@microapps/plugin-marketplace-node';
import { createActionContext, outputsOf } from '../__testUtils__/actionContext';
import { createRegisterAppAction } from './registerApp';

const CATALOG_INFO = '/srv/published/expense-helper/catalog-info.yaml';

const locationEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Location',
  metadata: { name: 'generated-1', namespace: 'default' },
  spec: { type: 'file', target: CATALOG_INFO },
};
const location = {
  id: '1',
  type: 'file',
  target: CATALOG_INFO,
  entityRef: 'location:default/generated-1',
};
const app: Entity = {
  apiVersion: 'microapps.dev/v1alpha1',
  kind: 'MicroApp',
  metadata: { name: 'expense-helper', namespace: 'default' },
  spec: {},
};

describe('marketplace:app:register', () => {
  const workspace = createMockDirectory();
  let catalog: ReturnType<typeof catalogServiceMock.mock>;
  let marketplace: jest.Mocked<MarketplaceService>;
  let action: ReturnType<typeof createRegisterAppAction>;

  const preview = (entities: Entity[], exists = false) => ({
    location,
    entities,
    exists,
  });

  beforeEach(() => {
    workspace.clear();
    catalog = catalogServiceMock.mock({
      addLocation: async ({ dryRun }) =>
        dryRun ? preview([locationEntity, app]) : { location, entities: [] },
      getEntityByRef: async () => app,
    });
    marketplace = {
      recordGateRun: jest.fn(),
      getTierStates: jest.fn(),
      registerApp: jest.fn(async ({ entityRef }) => ({
        entityRef,
        tier: 'discover' as const,
        expiresAt: '2027-01-28T08:00:00.000Z',
        created: true,
      })),
    };
    action = createRegisterAppAction({
      catalog,
      marketplace,
      config: new ConfigReader({
        app: { baseUrl: 'http://localhost:3000' },
        marketplace: { tiers: { discover: { expiresAfterDays: 30 } } },
      }),
      pollIntervalMs: 10,
    });
  });

  const run = async (
    catalogInfoUrl = CATALOG_INFO,
    options: {
      isDryRun?: boolean;
      checkpoints?: Map<string, unknown>;
      waitForEntitySeconds?: number;
    } = {},
  ) => {
    const { waitForEntitySeconds, ...rest } = options;
    const ctx = createActionContext({
      input: { catalogInfoUrl, waitForEntitySeconds },
      workspacePath: workspace.path,
      user: { ref: 'user:default/jane' },
      logger: mockServices.logger.mock(),
      ...rest,
    });
    await action.handler(ctx);
    return ctx;
  };

  it('waits until the catalog shows the app, so that the links open it', async () => {
    catalog.getEntityByRef
      .mockResolvedValueOnce(undefined)
      .mockResolvedValueOnce(undefined);
    const ctx = await run();
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
    expect(catalog.getEntityByRef).toHaveBeenLastCalledWith(
      'microapp:default/expense-helper',
      { credentials: mockCredentials.user() },
    );
    expect(ctx.logger.warn).not.toHaveBeenCalled();
  });

  it('finishes with a warning when the catalog is slower than the wait', async () => {
    catalog.getEntityByRef.mockResolvedValue(undefined);
    const ctx = await run(CATALOG_INFO, { waitForEntitySeconds: 0.05 });
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'The catalog does not show microapp:default/expense-helper yet',
      ),
    );
    expect(marketplace.registerApp).toHaveBeenCalledTimes(1);
    expect(outputsOf(ctx).entityRef).toBe('microapp:default/expense-helper');
  });

  it('registers the location with the user credentials, then the app with the marketplace', async () => {
    const ctx = await run();
    const credentials = mockCredentials.user();
    expect(catalog.addLocation.mock.calls).toEqual([
      [{ type: 'file', target: CATALOG_INFO, dryRun: true }, { credentials }],
      [{ type: 'file', target: CATALOG_INFO }, { credentials }],
    ]);
    expect(marketplace.registerApp).toHaveBeenCalledWith({
      entityRef: 'microapp:default/expense-helper',
      registeredBy: 'user:default/jane',
    });
    expect(outputsOf(ctx)).toEqual({
      entityRef: 'microapp:default/expense-helper',
      marketplaceUrl: 'http://localhost:3000/marketplace',
      governanceUrl: '/catalog/default/microapp/expense-helper/governance',
      expiresAt: '2027-01-28T08:00:00.000Z',
    });
  });

  it('registers file:// URLs as file locations and http(s) URLs as url locations', async () => {
    await run(`file://${CATALOG_INFO}`);
    expect(catalog.addLocation).toHaveBeenLastCalledWith(
      { type: 'file', target: CATALOG_INFO },
      expect.anything(),
    );
    const url = 'https://git.example.com/apps/expense-helper/catalog-info.yaml';
    await run(url);
    expect(catalog.addLocation).toHaveBeenLastCalledWith(
      { type: 'url', target: url },
      expect.anything(),
    );
    await expect(run('catalog-info.yaml')).rejects.toThrow(
      "catalogInfoUrl must be an absolute path, a file:// URL or an http(s) URL, got 'catalog-info.yaml'",
    );
  });

  it('keeps a location that exists, or that appeared meanwhile', async () => {
    catalog.addLocation.mockResolvedValueOnce(preview([app], true));
    await run();
    expect(catalog.addLocation).toHaveBeenCalledTimes(1);

    catalog.addLocation.mockResolvedValueOnce(preview([app]));
    catalog.addLocation.mockRejectedValueOnce(new ConflictError('exists'));
    await expect(run()).resolves.toBeDefined();
    expect(marketplace.registerApp).toHaveBeenCalledTimes(2);
  });

  it('refuses a file without a MicroApp, naming what it holds', async () => {
    const component = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'website', namespace: 'default' },
      spec: {},
    };
    catalog.addLocation.mockResolvedValueOnce(
      preview([locationEntity, component]),
    );
    await expect(run()).rejects.toThrow(
      `catalogInfoUrl: ${CATALOG_INFO} holds no MicroApp entity (found component:default/website)`,
    );
    expect(catalog.addLocation).toHaveBeenCalledTimes(1);
    expect(marketplace.registerApp).not.toHaveBeenCalled();
  });

  it('registers only once when the task is retried', async () => {
    const checkpoints = new Map<string, unknown>();
    marketplace.registerApp.mockRejectedValueOnce(new Error('unavailable'));
    await expect(run(CATALOG_INFO, { checkpoints })).rejects.toThrow(
      'unavailable',
    );
    await run(CATALOG_INFO, { checkpoints });
    expect(catalog.addLocation).toHaveBeenCalledTimes(2); // one preview, one add
    expect(marketplace.registerApp).toHaveBeenCalledTimes(2);
    await run(CATALOG_INFO, { checkpoints });
    expect(catalog.addLocation).toHaveBeenCalledTimes(2);
    expect(marketplace.registerApp).toHaveBeenCalledTimes(2);
  });

  it('makes no catalog or marketplace calls in a dry run', async () => {
    workspace.setContent({
      'catalog-info.yaml':
        'apiVersion: microapps.dev/v1alpha1\nkind: MicroApp\nmetadata:\n  name: expense-helper\n',
    });
    const ctx = await run(CATALOG_INFO, { isDryRun: true });
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(marketplace.registerApp).not.toHaveBeenCalled();
    const outputs = outputsOf(ctx);
    expect(outputs.entityRef).toBe('microapp:default/expense-helper');
    const days =
      (Date.parse(outputs.expiresAt as string) - Date.now()) / 86_400_000;
    expect(days).toBeCloseTo(30, 1);
  });
});
