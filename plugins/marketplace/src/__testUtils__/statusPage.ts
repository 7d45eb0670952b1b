import type { Entity } from '@backstage/catalog-model';
import type { AppState } from '@microapps/plugin-marketplace-common';

/** The status page as a MicroApp entity, for components that read the entity. */
export const statusPageEntity: Entity = {
  apiVersion: 'microapps.dev/v1alpha1',
  kind: 'MicroApp',
  metadata: { name: 'status-page', namespace: 'default' },
  spec: {},
};

/** The status page's governance state, Vetted and asking for Enterprise. */
export const statusPageState: AppState = {
  entityRef: 'microapp:default/status-page',
  namespace: 'default',
  name: 'status-page',
  title: 'Status Page',
  owner: 'group:default/platform-team',
  tier: 'vetted',
  requestedTier: 'enterprise',
  gateStatus: 'warn',
  cost: { center: 'CC-1000', monthlyForecast: 6, currency: 'EUR' },
  expiresAt: null,
  gates: { status: 'warn', counts: { pass: 9, warn: 1, 'not-applicable': 2 } },
  exceptions: [],
  support: {
    slaTier: 'S2',
    contact: '#platform-oncall',
    roster: 'group:default/platform-oncall',
  },
  promotion: null,
  renewal: { allowed: false, reason: 'only Discover apps expire' },
};
