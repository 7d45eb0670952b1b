import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import type {
  AppState,
  GateRunResponse,
} from '@microapps/plugin-marketplace-common';
import { MarketplaceApi, marketplaceApiRef } from '../../api';
import {
  noDataOperations,
  overForecastOperations,
} from '../../__testUtils__/operations';
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
  renewal: { allowed: false },
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

function render(partialApi: Partial<MarketplaceApi>, allow: string[] = []) {
  const api = {
    listAudit: jest.fn().mockResolvedValue({ items: [] }),
    ...partialApi,
  };
  const permissionApi = mockApis.permission({
    authorize: request =>
      allow.includes(request.permission.name)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
  });
  return renderInTestApp(
    // usePermission caches decisions across renders; each test starts with none
    <SWRConfig value={{ provider: () => new Map() }}>
      <EntityProvider entity={entity}>
        <EntityGovernanceContent />
      </EntityProvider>
    </SWRConfig>,
    {
      apis: [
        [marketplaceApiRef, api as unknown as MarketplaceApi],
        [permissionApiRef, permissionApi],
      ],
    },
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

  it('shows progress while the app loads', async () => {
    await render({
      getApp: () => new Promise(() => {}),
      getGates: jest.fn().mockResolvedValue(gates),
    });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.queryByText('Promotion')).toBeNull();
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

  it('shows what the last request came to when none is open', async () => {
    const decided = structuredClone(app.promotion!);
    decided.status = 'approved';
    decided.stages = decided.stages.map(s =>
      s.id === 'automated' ? { ...s, state: 'passed', blockers: [] } : s,
    );
    await render(
      {
        getApp: jest
          .fn()
          .mockResolvedValue({ ...app, promotion: null, lastDecided: decided }),
        getGates: jest.fn().mockResolvedValue(gates),
      },
      ['marketplace.promotion.review'],
    );
    expect(await screen.findByText('No open promotion.')).toBeInTheDocument();
    expect(screen.getByText('The last request')).toBeInTheDocument();
    expect(
      screen.getByText(/To Vetted, revision 1, .* approved/),
    ).toBeInTheDocument();
    expect(screen.getByText('security: Approved')).toBeInTheDocument();
    // a decided request takes no sign-offs
    expect(screen.queryByRole('button', { name: /Approve|Reject/ })).toBeNull();
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

  it('looks again while the automated stage waits for its gates', async () => {
    const pending = structuredClone(app);
    pending.promotion!.stages[0] = {
      id: 'automated',
      kind: 'automated',
      state: 'pending',
      reason: 'waiting for the gates to be evaluated at Vetted',
    };
    const passed = structuredClone(app);
    passed.promotion!.stages[0] = {
      id: 'automated',
      kind: 'automated',
      state: 'passed',
    };
    const getApp = jest
      .fn()
      .mockResolvedValueOnce(pending)
      .mockResolvedValue(passed);
    await render({ getApp, getGates: jest.fn().mockResolvedValue(gates) });
    expect(
      await screen.findByText(
        'waiting for the gates to be evaluated at Vetted',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('automated: Passed', {}, { timeout: 8_000 }),
    ).toBeInTheDocument();
    // once the verdict is in, it stops asking
    await new Promise(resolve => setTimeout(resolve, 5_500));
    expect(getApp).toHaveBeenCalledTimes(2);
  }, 20_000);

  it('hides every action the server would refuse', async () => {
    await render({
      getApp: jest.fn().mockResolvedValue(app),
      getGates: jest.fn().mockResolvedValue(gates),
    });
    expect(await screen.findByText('Blocked by 1 gate')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Approve/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Reject/ })).toBeNull();
    expect(
      screen.queryByRole('button', { name: /Request promotion/ }),
    ).toBeNull();
    // reading the evidence needs no more than seeing the app
    expect(
      screen.getByRole('button', { name: 'Download evidence' }),
    ).toBeInTheDocument();
  });

  it('lets a reviewer reject a waiting stage only with a reason, then reloads', async () => {
    const signOff = jest.fn().mockResolvedValue({});
    const getApp = jest.fn().mockResolvedValue(app);
    await render(
      { getApp, getGates: jest.fn().mockResolvedValue(gates), signOff },
      ['marketplace.promotion.review'],
    );
    // only the waiting stage has buttons; the approved one has none
    fireEvent.click(
      await screen.findByRole('button', { name: 'Reject compliance' }),
    );
    expect(
      screen.queryByRole('button', { name: 'Reject security' }),
    ).toBeNull();
    const confirm = screen.getByRole('button', { name: 'Reject' });
    expect(confirm).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Reason (required)'), {
      target: { value: 'residency is not declared' },
    });
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(signOff).toHaveBeenCalledWith('p1', {
        stage: 'compliance',
        decision: 'reject',
        comment: 'residency is not declared',
      }),
    );
    await waitFor(() => expect(getApp).toHaveBeenCalledTimes(2));
  });

  it('shows no Approve or Reject on a stage the server says the user may not sign', async () => {
    const twoWaiting = structuredClone(app);
    twoWaiting.promotion!.stages = [
      ...twoWaiting.promotion!.stages.slice(0, 2),
      {
        id: 'compliance',
        kind: 'human',
        state: 'pending',
        reviewers: ['group:default/compliance-reviewers'],
        mayReview: false,
      },
      {
        id: 'cost',
        kind: 'human',
        state: 'pending',
        reviewers: ['group:default/budget-reviewers'],
        mayReview: true,
      },
    ];
    await render(
      {
        getApp: jest.fn().mockResolvedValue(twoWaiting),
        getGates: jest.fn().mockResolvedValue(gates),
      },
      ['marketplace.promotion.review'],
    );
    expect(
      await screen.findByRole('button', { name: 'Approve cost' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reject cost' })).toBeEnabled();
    expect(screen.getByText('compliance: Pending')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Approve compliance' }),
    ).toBeNull();
    expect(
      screen.queryByRole('button', { name: 'Reject compliance' }),
    ).toBeNull();
  });

  it('lets a reviewer approve only with a comment on what was checked', async () => {
    const signOff = jest.fn().mockResolvedValue({});
    await render(
      {
        getApp: jest.fn().mockResolvedValue(app),
        getGates: jest.fn().mockResolvedValue(gates),
        signOff,
      },
      ['marketplace.promotion.review'],
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Approve compliance' }),
    );
    const confirm = screen.getByRole('button', { name: 'Approve' });
    expect(confirm).toBeDisabled();
    fireEvent.change(screen.getByLabelText('What you checked (required)'), {
      target: { value: 'residency and retention' },
    });
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(signOff).toHaveBeenCalledWith('p1', {
        stage: 'compliance',
        decision: 'approve',
        comment: 'residency and retention',
      }),
    );
  });

  it("lets an owner ask for the next tier, and shows the server's refusal", async () => {
    const createPromotion = jest
      .fn()
      .mockRejectedValueOnce(new Error('A promotion is already open'))
      .mockResolvedValueOnce({});
    await render(
      {
        getApp: jest.fn().mockResolvedValue({ ...app, promotion: null }),
        getGates: jest.fn().mockResolvedValue(gates),
        createPromotion,
      },
      ['marketplace.promotion.request'],
    );
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Request promotion to Vetted',
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Request' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'A promotion is already open',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Request' }));
    await waitFor(() => expect(createPromotion).toHaveBeenCalledTimes(2));
    expect(createPromotion).toHaveBeenLastCalledWith({
      entityRef: 'microapp:default/pay-widget',
      targetTier: 'vetted',
    });
  });

  it('lets a security reviewer grant an exception for a blocking finding, with a reason', async () => {
    const grantException = jest.fn().mockResolvedValue({});
    await render(
      {
        getApp: jest.fn().mockResolvedValue(app),
        getGates: jest.fn().mockResolvedValue(gates),
        grantException,
      },
      ['marketplace.exception.grant'],
    );
    // the excepted vulnerability has no button; the failing policy finding has one
    const buttons = await screen.findAllByRole('button', {
      name: 'Grant exception',
    });
    expect(buttons).toHaveLength(1);
    fireEvent.click(buttons[0]);
    const grant = screen.getByRole('button', { name: 'Grant' });
    expect(grant).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Reason (required)'), {
      target: { value: 'S1 contract signed' },
    });
    fireEvent.change(screen.getByLabelText('Valid for (days)'), {
      target: { value: '7' },
    });
    const before = Date.now();
    fireEvent.click(grant);
    await waitFor(() => expect(grantException).toHaveBeenCalledTimes(1));
    const [ref, body] = grantException.mock.calls[0];
    expect(ref).toEqual({ namespace: 'default', name: 'pay-widget' });
    expect(body).toMatchObject({
      gateId: 'policy:governance/restricted-needs-fast-sla',
      findingId: 'f1',
      reason: 'S1 contract signed',
    });
    const days = (Date.parse(body.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
  });
  describe('expiry and renewal', () => {
    const DAY_MS = 24 * 60 * 60 * 1000;
    const discover = (overrides: Partial<typeof app>) => ({
      ...app,
      promotion: null,
      ...overrides,
    });
    const getGates = () => jest.fn().mockResolvedValue(gates);

    it('counts down the days of a Discover app, with the date', async () => {
      const expiresAt = new Date(Date.now() + 12 * DAY_MS).toISOString();
      await render({
        getApp: jest.fn().mockResolvedValue(discover({ expiresAt })),
        getGates: getGates(),
      });
      expect(
        await screen.findByText(
          /· expires in 12 days \(\d{1,2} [A-Z][a-z]{2,3} \d{4}\)/,
        ),
      ).toBeInTheDocument();
      expect(screen.queryByRole('alert')).toBeNull();
    });

    it('says when a Discover app expires today', async () => {
      // only the clock is fixed (noon), so the test cannot straddle midnight
      const noon = new Date();
      noon.setHours(12, 0, 0, 0);
      jest.useFakeTimers({
        now: noon,
        doNotFake: [
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'clearImmediate',
          'queueMicrotask',
          'nextTick',
          'requestAnimationFrame',
          'cancelAnimationFrame',
          'performance',
          'hrtime',
        ],
      });
      try {
        const evening = new Date(noon);
        evening.setHours(18);
        await render({
          getApp: jest
            .fn()
            .mockResolvedValue(discover({ expiresAt: evening.toISOString() })),
          getGates: getGates(),
        });
        expect(await screen.findByText(/· expires today/)).toBeInTheDocument();
      } finally {
        jest.useRealTimers();
      }
    });

    it('shows an expired app as hidden until renewed', async () => {
      await render({
        getApp: jest.fn().mockResolvedValue(
          discover({
            tier: 'expired',
            expiresAt: '2026-11-20T12:00:00.000Z',
          }),
        ),
        getGates: getGates(),
      });
      expect(await screen.findByRole('alert')).toHaveTextContent(
        'Expired on 20 Nov 2026: hidden from the marketplace until renewed',
      );
      expect(screen.getByText('Expired')).toBeInTheDocument();
    });

    it('shows no countdown for an app above Discover', async () => {
      await render({
        getApp: jest
          .fn()
          .mockResolvedValue(
            discover({ tier: 'vetted', requestedTier: 'vetted' }),
          ),
        getGates: getGates(),
      });
      expect(
        await screen.findByText('Vetted', { selector: 'strong' }),
      ).toBeInTheDocument();
      expect(screen.queryByText(/expires/)).toBeNull();
    });

    it('hides Renew from those who may not ask for it', async () => {
      await render({
        getApp: jest.fn().mockResolvedValue(
          discover({
            tier: 'expired',
            expiresAt: '2026-11-20T12:00:00.000Z',
            renewal: { allowed: true },
          }),
        ),
        getGates: getGates(),
      });
      expect(await screen.findByRole('alert')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Renew' })).toBeNull();
    });

    it('hides Renew when the server would refuse it, and tells the owners why', async () => {
      await render(
        {
          getApp: jest.fn().mockResolvedValue(
            discover({
              expiresAt: new Date(Date.now() + 50 * DAY_MS).toISOString(),
              renewal: {
                allowed: false,
                reason:
                  'renewed on 29 Nov 2026; the next renewal opens on 29 Dec 2026',
                renewedAt: '2026-11-29T09:00:00.000Z',
              },
            }),
          ),
          getGates: getGates(),
        },
        ['marketplace.promotion.request'],
      );
      expect(
        await screen.findByText(
          'Renewal not available: renewed on 29 Nov 2026; the next renewal opens on 29 Dec 2026',
        ),
      ).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Renew' })).toBeNull();
    });

    it('shows no reason to those who are not owners', async () => {
      await render({
        getApp: jest.fn().mockResolvedValue(
          discover({
            expiresAt: new Date(Date.now() + 50 * DAY_MS).toISOString(),
            renewal: { allowed: false, reason: 'renewed on 29 Nov 2026' },
          }),
        ),
        getGates: getGates(),
      });
      expect(await screen.findByText(/expires in 50 days/)).toBeInTheDocument();
      expect(screen.queryByText(/Renewal not available/)).toBeNull();
    });

    it('lets an owner renew after confirming, then loads the state again', async () => {
      const expired = discover({
        tier: 'expired',
        expiresAt: '2026-11-20T12:00:00.000Z',
        renewal: { allowed: true },
      });
      const renewed = discover({
        expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
        renewal: { allowed: false, renewedAt: new Date().toISOString() },
      });
      const getApp = jest
        .fn()
        .mockResolvedValueOnce(expired)
        .mockResolvedValue(renewed);
      const renewApp = jest.fn().mockResolvedValue(renewed);
      await render({ getApp, getGates: getGates(), renewApp }, [
        'marketplace.promotion.request',
      ]);
      fireEvent.click(await screen.findByRole('button', { name: 'Renew' }));
      expect(
        screen.getByText(/shows in the marketplace again/),
      ).toBeInTheDocument();
      expect(renewApp).not.toHaveBeenCalled();
      fireEvent.click(screen.getByRole('button', { name: 'Renew' }));
      await waitFor(() =>
        expect(renewApp).toHaveBeenCalledWith({
          namespace: 'default',
          name: 'pay-widget',
        }),
      );
      expect(await screen.findByText(/expires in 60 days/)).toBeInTheDocument();
      expect(getApp).toHaveBeenCalledTimes(2);
      expect(screen.queryByRole('button', { name: 'Renew' })).toBeNull();
    });

    it("shows the server's refusal of a renewal", async () => {
      const refusal = Object.assign(
        new Error('Request failed with 409 Conflict'),
        {
          name: 'ResponseError',
          cause: new Error(
            'renewed on 29 Nov 2026; the next renewal opens on 29 Dec 2026',
          ),
        },
      );
      const renewApp = jest.fn().mockRejectedValue(refusal);
      const getApp = jest.fn().mockResolvedValue(
        discover({
          expiresAt: new Date(Date.now() + 3 * DAY_MS).toISOString(),
          renewal: { allowed: true },
        }),
      );
      await render({ getApp, getGates: getGates(), renewApp }, [
        'marketplace.promotion.request',
      ]);
      fireEvent.click(await screen.findByRole('button', { name: 'Renew' }));
      fireEvent.click(screen.getByRole('button', { name: 'Renew' }));
      expect(await screen.findByRole('alert')).toHaveTextContent(
        'renewed on 29 Nov 2026; the next renewal opens on 29 Dec 2026',
      );
      expect(getApp).toHaveBeenCalledTimes(1);
    });
  });

  describe('cost and support', () => {
    const getGates = () => jest.fn().mockResolvedValue(gates);

    it('warns about the flags at the top and shows the figures with the cost history', async () => {
      await render({
        getApp: jest.fn().mockResolvedValue({
          ...app,
          tier: 'enterprise',
          promotion: null,
          support: { slaTier: 'S1' },
          operations: overForecastOperations,
        }),
        getGates: getGates(),
      });
      expect(await screen.findByText('Cost and support')).toBeInTheDocument();
      const warnings = screen.getAllByRole('alert');
      expect(warnings.map(w => w.textContent)).toEqual([
        'Enterprise listing without a runbook',
        'Idle: no activity since 3 Oct 2026 (usage)',
      ]);
      // the warnings come first on the tab
      expect(
        warnings[0].compareDocumentPosition(screen.getByText('Tier:')) &
          Node.DOCUMENT_POSITION_FOLLOWING,
      ).toBeTruthy();
      expect(screen.getByText('€44.80 of €40.00 forecast')).toBeInTheDocument();
      expect(
        screen.getByText('+€4.80 (+12 %), over forecast'),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('progressbar', { name: /€44.80 of €40.00 forecast/ }),
      ).toBeInTheDocument();
      const history = screen.getByRole('table', { name: 'Cost history' });
      expect(
        within(history)
          .getAllByRole('row')
          .map(row => row.textContent),
      ).toEqual([
        'MonthActual cost',
        'December 2026€44.80',
        'November 2026€38.25',
        'October 2026€36.00',
      ]);
      expect(within(history).getAllByRole('columnheader')).toHaveLength(2);
      expect(
        screen.getByText('SLA tier: S1 · respond within 1 h'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('1 breach of the 1 h target'),
      ).toBeInTheDocument();
      expect(screen.getByText('1 h 30 min')).toBeInTheDocument();
      expect(
        screen.getByText('Last activity 3 Oct 2026 (usage)'),
      ).toBeInTheDocument();
    });

    it('has empty states without costs and metrics, and flags nothing', async () => {
      await render({
        getApp: jest
          .fn()
          .mockResolvedValue({ ...app, operations: noDataOperations }),
        getGates: getGates(),
      });
      expect(
        await screen.findByText('No costs imported for December 2026.'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('No cost history imported yet.'),
      ).toBeInTheDocument();
      expect(screen.getByText('No metrics reported')).toBeInTheDocument();
      expect(screen.getByText('No activity recorded yet')).toBeInTheDocument();
      expect(screen.queryByRole('alert')).toBeNull();
    });

    it('shows the declared forecast when the backend reports no figures', async () => {
      await render({
        getApp: jest.fn().mockResolvedValue(app),
        getGates: getGates(),
      });
      expect(await screen.findByText('Cost and support')).toBeInTheDocument();
      expect(screen.getByText('€40.00')).toBeInTheDocument();
      expect(
        screen.getByText(/No actual cost reported yet/),
      ).toBeInTheDocument();
      expect(
        screen.getByText(
          'No operational figures: this marketplace backend reports none.',
        ),
      ).toBeInTheDocument();
      expect(screen.queryByRole('alert')).toBeNull();
    });
  });

  describe('the budget stage', () => {
    const toEnterprise = structuredClone(app);
    toEnterprise.tier = 'vetted';
    toEnterprise.requestedTier = 'enterprise';
    toEnterprise.promotion!.targetTier = 'enterprise';
    toEnterprise.promotion!.stages = [
      { id: 'automated', kind: 'automated', state: 'passed' },
      {
        id: 'operations',
        kind: 'human',
        state: 'pending',
        reviewers: ['group:default/sre'],
        mayReview: true,
      },
      {
        id: 'budget',
        kind: 'human',
        state: 'pending',
        reviewers: ['group:default/finance'],
        mayReview: true,
      },
    ];
    const budgetField = () =>
      screen.queryByLabelText(/Approved monthly budget \(EUR\)/);

    it('asks for a positive budget, prefilled with the forecast, and sends it', async () => {
      const signOff = jest.fn().mockResolvedValue({});
      await render(
        {
          getApp: jest.fn().mockResolvedValue(toEnterprise),
          getGates: jest.fn().mockResolvedValue(gates),
          signOff,
        },
        ['marketplace.promotion.review'],
      );
      fireEvent.click(
        await screen.findByRole('button', { name: 'Approve budget' }),
      );
      const field = budgetField()!;
      expect(field).toHaveValue(40);
      expect(field).toBeRequired();
      fireEvent.change(screen.getByLabelText('What you checked (required)'), {
        target: { value: 'cost centre has room' },
      });
      const confirm = screen.getByRole('button', { name: 'Approve' });
      expect(confirm).toBeEnabled();

      fireEvent.change(field, { target: { value: '0' } });
      expect(confirm).toBeDisabled();
      expect(
        screen.getByText('The budget must be more than 0'),
      ).toBeInTheDocument();
      fireEvent.change(field, { target: { value: '' } });
      expect(confirm).toBeDisabled();
      expect(
        screen.getByText('Enter the approved monthly budget'),
      ).toBeInTheDocument();

      fireEvent.change(field, { target: { value: '55.5' } });
      expect(confirm).toBeEnabled();
      fireEvent.click(confirm);
      await waitFor(() =>
        expect(signOff).toHaveBeenCalledWith('p1', {
          stage: 'budget',
          decision: 'approve',
          comment: 'cost centre has room',
          budget: 55.5,
        }),
      );
    });

    it('asks for no budget on other stages or on a reject', async () => {
      const signOff = jest.fn().mockResolvedValue({});
      await render(
        {
          getApp: jest.fn().mockResolvedValue(toEnterprise),
          getGates: jest.fn().mockResolvedValue(gates),
          signOff,
        },
        ['marketplace.promotion.review'],
      );
      fireEvent.click(
        await screen.findByRole('button', { name: 'Approve operations' }),
      );
      expect(budgetField()).toBeNull();
      fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

      // the dialog closes with a transition; the page is hidden until then
      fireEvent.click(
        await screen.findByRole('button', { name: 'Reject budget' }),
      );
      expect(budgetField()).toBeNull();
      fireEvent.change(screen.getByLabelText('Reason (required)'), {
        target: { value: 'no cost centre owner' },
      });
      fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
      await waitFor(() =>
        expect(signOff).toHaveBeenCalledWith('p1', {
          stage: 'budget',
          decision: 'reject',
          comment: 'no cost centre owner',
        }),
      );
    });

    it('shows the budget the stage approved', async () => {
      const approved = structuredClone(toEnterprise);
      approved.promotion!.stages[2] = {
        ...approved.promotion!.stages[2],
        state: 'approved',
        signoff: {
          id: 's9',
          stage: 'budget',
          decision: 'approve',
          comment: 'fits CC-4711',
          reviewer: 'user:default/fin',
          revision: 1,
          createdAt: '2026-11-28T12:00:00.000Z',
          budget: 55.5,
        },
      };
      await render({
        getApp: jest.fn().mockResolvedValue(approved),
        getGates: jest.fn().mockResolvedValue(gates),
      });
      expect(
        await screen.findByText(
          /user:default\/fin on .*: fits CC-4711 · approved budget €55.50 per month/,
        ),
      ).toBeInTheDocument();
    });
  });
});
