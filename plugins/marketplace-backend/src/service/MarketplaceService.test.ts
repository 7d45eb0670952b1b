import { mockCredentials } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type { AuditEntry } from '@microapps/plugin-marketplace-common';
import type { AppRecord, MarketplaceStore } from '../database/MarketplaceStore';
import { DefaultMarketplaceService } from './MarketplaceService';
import type { ChangeRunner } from './workflow/ChangeRunner';

const DAY_MS = 86_400_000;
const scaffolder = mockCredentials.service('plugin:scaffolder');

const record = (overrides: Partial<AppRecord> = {}): AppRecord => ({
  entityRef: 'microapp:default/expense-helper',
  requestedTier: 'discover',
  effectiveTier: 'discover',
  gateStatus: 'pass',
  firstSeenAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  registeredAt: '2026-12-01T09:00:00.000Z',
  expiresAt: '2027-01-30T09:00:00.000Z',
  ...overrides,
});

describe('DefaultMarketplaceService.registerApp', () => {
  const registerApp = jest.fn<
    ReturnType<MarketplaceStore['registerApp']>,
    Parameters<MarketplaceStore['registerApp']>
  >();
  const afterCommit = jest.fn(async () => {});
  const service = new DefaultMarketplaceService({
    store: { registerApp } as unknown as MarketplaceStore,
    changes: { afterCommit } as unknown as ChangeRunner,
    catalog: {} as any,
    directory: {} as any,
    promotions: {} as any,
    currency: 'EUR',
    discoverExpiresAfterDays: 45,
  });

  beforeEach(() => jest.resetAllMocks());

  it('registers the app with the configured expiry and reports the audit entry once committed', async () => {
    const audit = { seq: 7, action: 'app.registered' } as AuditEntry;
    registerApp.mockResolvedValue({ app: record(), created: true, audit });
    const result = await service.registerApp(
      {
        entityRef: 'MicroApp:Default/Expense-Helper',
        registeredBy: 'User:default/Casey',
      },
      scaffolder,
    );
    expect(result).toEqual({
      entityRef: 'microapp:default/expense-helper',
      tier: 'discover',
      expiresAt: '2027-01-30T09:00:00.000Z',
      created: true,
    });
    const [input] = registerApp.mock.calls[0];
    expect(input).toMatchObject({
      entityRef: 'microapp:default/expense-helper',
      registeredBy: 'user:default/casey',
      actor: 'plugin:scaffolder',
    });
    expect(
      input.discoverExpiresAt.getTime() - input.registeredAt.getTime(),
    ).toBe(45 * DAY_MS);
    expect(afterCommit).toHaveBeenCalledWith({ audit: [audit] });
  });

  it('takes the default namespace, and the calling plugin as registrar', async () => {
    registerApp.mockResolvedValue({ app: record(), created: false });
    const result = await service.registerApp(
      { entityRef: 'microapp:expense-helper' },
      mockCredentials.service('plugin:catalog'),
    );
    expect(result.created).toBe(false);
    expect(registerApp.mock.calls[0][0]).toMatchObject({
      entityRef: 'microapp:default/expense-helper',
      registeredBy: 'plugin:catalog',
      actor: 'plugin:catalog',
    });
    // a repeat wrote nothing, so there is nothing to report
    expect(afterCommit).not.toHaveBeenCalled();
  });

  it('answers no expiry for an app above Discover', async () => {
    registerApp.mockResolvedValue({
      app: record({ effectiveTier: 'vetted' }),
      created: false,
    });
    await expect(
      service.registerApp(
        { entityRef: 'microapp:default/expense-helper' },
        scaffolder,
      ),
    ).resolves.toMatchObject({ tier: 'vetted', expiresAt: null });
  });

  it.each([
    ['entityRef', { entityRef: 'expense-helper' }],
    ['entityRef', { entityRef: 'component:default/expense-helper' }],
    ['entityRef', { entityRef: 'microapp:default/expense helper' }],
    ['entityRef', { entityRef: 'microapp:Bad_Namespace!/x' }],
    [
      'registeredBy',
      { entityRef: 'microapp:default/x', registeredBy: 'casey' },
    ],
  ])('refuses a bad %s with a 400 naming it: %j', async (field, request) => {
    const error = await service.registerApp(request, scaffolder).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(field);
    expect(registerApp).not.toHaveBeenCalled();
  });
});

describe('DefaultMarketplaceService.listApps and Discover expiry', () => {
  const NOW = new Date('2027-02-01T00:00:00.000Z');
  const app = (name: string) => ({
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: { name, namespace: 'default' },
    spec: {
      owner: 'group:default/a',
      cost: { center: 'CC-1', monthlyForecast: 1 },
    },
  });
  const queryEntities = jest.fn();
  const getApps = jest.fn();
  const service = new DefaultMarketplaceService({
    store: { getApps } as unknown as MarketplaceStore,
    changes: {} as unknown as ChangeRunner,
    catalog: { queryEntities } as any,
    directory: {} as any,
    promotions: {} as any,
    currency: 'EUR',
    discoverExpiresAfterDays: 60,
    now: () => NOW,
  });
  const sam = mockCredentials.user('user:default/sam');

  beforeEach(() => {
    jest.resetAllMocks();
    queryEntities.mockResolvedValue({
      items: [app('fresh'), app('stale'), app('vetted')],
      pageInfo: {},
    });
    getApps.mockResolvedValue(
      new Map([
        [
          'microapp:default/fresh',
          record({ expiresAt: '2027-03-01T00:00:00.000Z' }),
        ],
        [
          'microapp:default/stale',
          record({ expiresAt: '2027-01-31T00:00:00.000Z' }),
        ],
        [
          'microapp:default/vetted',
          record({
            effectiveTier: 'vetted',
            expiresAt: '2027-01-01T00:00:00.000Z',
          }),
        ],
      ]),
    );
  });

  it('hides expired apps from the list', async () => {
    const { items } = await service.listApps({}, sam);
    expect(items.map(i => [i.name, i.tier])).toEqual([
      ['fresh', 'discover'],
      ['vetted', 'vetted'],
    ]);
    expect(queryEntities.mock.calls[0][0].filter).toEqual({
      kind: 'MicroApp',
    });
  });

  it('lists only expired apps for tier=expired, by the catalog label', async () => {
    const { items } = await service.listApps({ tier: 'expired' }, sam);
    expect(items.map(i => [i.name, i.tier])).toEqual([['stale', 'expired']]);
    expect(queryEntities.mock.calls[0][0].filter).toEqual({
      kind: 'MicroApp',
      'metadata.labels.microapps.dev/tier': 'expired',
    });
  });
});
