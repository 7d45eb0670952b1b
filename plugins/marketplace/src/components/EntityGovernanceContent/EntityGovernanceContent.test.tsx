import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import type {
  AppState,
  GateRunResponse,
} from '@microapps/plugin-marketplace-common';
import { MarketplaceApi, marketplaceApiRef } from '../../api';
import { EntityGovernanceContent } from './EntityGovernanceContent';

const entity: Entity = {
  apiVersion: 'microapps.dev/v1alpha1',
  kind: 'MicroApp',
  metadata: { name: 'pay-widget', namespace: 'default' },
  spec: {},
};

const app: AppState = {
  entityRef: 'microapp:default/pay-widget',
  namespace: 'default',
  name: 'pay-widget',
  title: 'Pay Widget',
  owner: 'group:default/finance-apps',
  tier: 'discover',
  requestedTier: 'vetted',
  gateStatus: 'fail',
  cost: { center: 'CC-4711', monthlyForecast: 40, currency: 'EUR' },
  expiresAt: null,
  gates: { status: 'fail', counts: { fail: 1 } },
  exceptions: [],
  support: {},
  promotion: {
    id: 'p1',
    entityRef: 'microapp:default/pay-widget',
    fromTier: 'discover',
    targetTier: 'vetted',
    status: 'open',
    revision: 1,
    submitter: 'user:default/casey',
    createdAt: '2026-11-28T10:00:00.000Z',
    updatedAt: '2026-11-28T10:00:00.000Z',
    signoffs: [],
    stages: [
      {
        id: 'automated',
        kind: 'automated',
        state: 'blocked',
        blockers: [
          {
            gateId: 'policy:governance/restricted-needs-fast-sla',
            status: 'fail',
            findingIds: ['f1'],
          },
        ],
      },
      {
        id: 'security',
        kind: 'human',
        state: 'approved',
        reviewers: ['group:default/security-reviewers'],
        signoff: {
          id: '1',
          stage: 'security',
          decision: 'approve',
          comment: 'fine',
          reviewer: 'user:default/sam',
          revision: 1,
          createdAt: '2026-11-28T11:00:00.000Z',
        },
      },
      {
        id: 'compliance',
        kind: 'human',
        state: 'pending',
        reviewers: ['group:default/compliance-reviewers'],
      },
    ],
  },
};

const gates: GateRunResponse = {
  evaluatedAt: '2026-11-28T09:00:00.000Z',
  tier: 'vetted',
  status: 'fail',
  results: [
    {
      gateId: 'policy:governance/restricted-needs-fast-sla',
      status: 'fail',
      enforcement: 'block',
      findings: [
        {
          id: 'f1',
          severity: 'high',
          message: 'Restricted data needs S1 or S2',
        },
      ],
    },
    {
      gateId: 'vulnerabilities',
      status: 'fail',
      enforcement: 'block',
      excepted: true,
      findings: [
        {
          id: 'GHSA-1',
          severity: 'critical',
          message: 'lodash is affected by GHSA-1',
          url: 'https://osv.dev/vulnerability/GHSA-1',
          exceptedUntil: '2026-12-20T00:00:00.000Z',
        },
      ],
    },
    {
      gateId: 'sbom',
      status: 'not-applicable',
      enforcement: 'block',
      findings: [],
    },
  ],
};

function render(api: Partial<MarketplaceApi>) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityGovernanceContent />
    </EntityProvider>,
    { apis: [[marketplaceApiRef, api as MarketplaceApi]] },
  );
}

describe('EntityGovernanceContent', () => {
  it('shows the tier ladder, the stages of the open promotion and the gate results', async () => {
    const getApp = jest.fn().mockResolvedValue(app);
    await render({ getApp, getGates: jest.fn().mockResolvedValue(gates) });
    expect(await screen.findByText('Blocked by 1 gate')).toBeInTheDocument();
    expect(getApp).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'pay-widget',
    });
    expect(screen.getByText(/requests Vetted/)).toBeInTheDocument();
    expect(screen.getByText('automated: Blocked')).toBeInTheDocument();
    expect(screen.getByText('security: Approved')).toBeInTheDocument();
    expect(
      screen.getByText(/user:default\/sam on .*: fine/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Any 1 of group:default/compliance-reviewers'),
    ).toBeInTheDocument();
    expect(screen.getByText('Excepted')).toBeInTheDocument();
    expect(screen.getByText('Not applicable')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /lodash is affected by GHSA-1/ }),
    ).toHaveAttribute('href', 'https://osv.dev/vulnerability/GHSA-1');
    expect(screen.getByText(/excepted until/)).toBeInTheDocument();
  });

  it('says when there is no promotion and no gate result yet', async () => {
    await render({
      getApp: jest.fn().mockResolvedValue({ ...app, promotion: null }),
      getGates: jest.fn().mockResolvedValue({
        evaluatedAt: null,
        tier: 'discover',
        status: 'pending',
        results: [],
      }),
    });
    expect(await screen.findByText('No open promotion.')).toBeInTheDocument();
    expect(screen.getByText('Not reported yet.')).toBeInTheDocument();
    expect(screen.getByText('Not evaluated yet')).toBeInTheDocument();
  });

  it('shows the error of the backend', async () => {
    await render({
      getApp: jest
        .fn()
        .mockRejectedValue(new Error("No app 'microapp:default/pay-widget'")),
      getGates: jest.fn().mockResolvedValue(gates),
    });
    const [message] = await screen.findAllByText(
      /No app 'microapp:default\/pay-widget'/,
    );
    expect(message).toBeInTheDocument();
  });
});
