import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { SWRConfig } from 'swr';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  renderInTestApp as renderInLegacyApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { ChargebackReport } from '@microapps/plugin-marketplace-common';
import { MarketplaceApi, marketplaceApiRef } from '../../api';
import { ChargebackReportPage as LegacyChargebackReportPage } from '../../legacy';
import { ChargebackReportPage } from './ChargebackReportPage';
import { previousMonth, viewOf } from './chargebackRows';
import { RequireReportPermission } from './RequireReportPermission';

const report: ChargebackReport = {
  month: '2026-11',
  currency: 'EUR',
  generatedAt: '2026-12-01T08:00:00.000Z',
  byCostCenter: [
    {
      key: 'CC-1000',
      title: 'Platform operations',
      apps: 2,
      forecast: 126,
      actual: 1234.57,
      variance: 1108.57,
      variancePercent: 879.8,
      unallocated: 4.94,
    },
    {
      key: 'CC-4711',
      title: 'Finance applications',
      apps: 1,
      forecast: 40,
      actual: 27.5,
      variance: -12.5,
      variancePercent: -31.3,
    },
  ],
  byOwner: [
    {
      key: 'group:default/platform-team',
      apps: 2,
      forecast: 126,
      actual: 1229.63,
      variance: 1103.63,
      variancePercent: 875.9,
    },
    {
      key: 'group:default/finance-apps',
      apps: 1,
      forecast: 40,
      actual: 27.5,
      variance: -12.5,
      variancePercent: -31.3,
    },
  ],
  apps: [
    {
      entityRef: 'microapp:default/mail-relay-monitor',
      title: 'Mail Relay Monitor',
      owner: 'group:default/platform-team',
      costCenter: 'CC-1000',
      tier: 'enterprise',
      forecast: 120,
      actual: 1229.63,
      variance: 1109.63,
      variancePercent: 924.7,
    },
    {
      entityRef: 'microapp:default/status-page',
      title: 'Status Page',
      owner: 'group:default/platform-team',
      costCenter: 'CC-1000',
      tier: 'vetted',
      forecast: 6,
      actual: 0,
      variance: -6,
      variancePercent: -100,
    },
    {
      entityRef: 'microapp:default/team-dinner-splitter',
      title: 'Team Dinner Splitter',
      owner: 'group:default/finance-apps',
      costCenter: 'CC-4711',
      tier: 'discover',
      forecast: 40,
      actual: 27.5,
      variance: -12.5,
      variancePercent: -31.3,
    },
  ],
  totals: {
    apps: 3,
    forecast: 166,
    actual: 1262.07,
    variance: 1096.07,
    variancePercent: 660.3,
  },
};

/** The same month with nothing charged. */
const emptyReport = (
  month: string,
  latestMonth?: string,
): ChargebackReport => ({
  ...report,
  month,
  byCostCenter: report.byCostCenter.map(r => ({
    key: r.key,
    title: r.title,
    apps: r.apps,
    forecast: r.forecast,
    actual: 0,
    variance: -r.forecast,
    variancePercent: -100,
  })),
  byOwner: [],
  apps: report.apps.map(a => ({
    ...a,
    actual: 0,
    variance: -a.forecast,
    variancePercent: -100,
  })),
  totals: { apps: 3, forecast: 166, actual: 0, variance: -166 },
  ...(latestMonth && { latestMonth }),
});

function render(api: Partial<MarketplaceApi>, url = '/?month=2026-11') {
  return renderInTestApp(<ChargebackReportPage />, {
    apis: [[marketplaceApiRef, api as MarketplaceApi]],
    initialRouteEntries: [url],
  });
}

/** The rows of a table below its header, as the text of their cells. */
const rowsOf = (name: string) =>
  within(screen.getByRole('table', { name }))
    .getAllByRole('row')
    .slice(1)
    .map(row => [...row.querySelectorAll('th, td')].map(c => c.textContent));

describe('ChargebackReportPage', () => {
  it('shows the figures per cost centre, owner and app, biggest overspend first, with words', async () => {
    const getChargebackReport = jest.fn().mockResolvedValue(report);
    await render({ getChargebackReport });
    expect(
      await screen.findByRole('heading', { name: 'Cost centres' }),
    ).toBeInTheDocument();
    expect(getChargebackReport).toHaveBeenCalledWith('2026-11');
    expect(screen.getByRole('heading', { name: 'Chargeback' })).toBeVisible();
    expect(screen.getByRole('heading', { name: 'Owners' })).toBeVisible();
    expect(screen.getByRole('heading', { name: 'Apps' })).toBeVisible();

    expect(rowsOf('Cost centres')).toEqual([
      [
        'Platform operations (CC-1000)',
        '2',
        '€4.94',
        '€126.00',
        '€1,234.57',
        '€1,108.57 over',
        '+879.8 %',
      ],
      [
        'Finance applications (CC-4711)',
        '1',
        '—',
        '€40.00',
        '€27.50',
        '€12.50 under',
        '-31.3 %',
      ],
      ['Total', '3', '', '€166.00', '€1,262.07', '€1,096.07 over', '+660.3 %'],
    ]);
    // the table is the chart's accessible equivalent, with a caption
    expect(
      screen.getByText(
        /Forecast and actual per cost centre, November 2026, in EUR/,
      ),
    ).toBeInTheDocument();

    expect(rowsOf('Owners')).toEqual([
      [
        'platform-team',
        '2',
        '€126.00',
        '€1,229.63',
        '€1,103.63 over',
        '+875.9 %',
      ],
      ['finance-apps', '1', '€40.00', '€27.50', '€12.50 under', '-31.3 %'],
    ]);
    expect(rowsOf('Apps').map(r => [r[0], r[3], r[6]])).toEqual([
      ['Mail Relay Monitor', 'Enterprise', '€1,109.63 over'],
      ['Status Page', 'Vetted', '€6.00 under'],
      ['Team Dinner Splitter', 'Discover', '€12.50 under'],
    ]);
    expect(screen.getByRole('status')).toHaveTextContent(
      '3 apps in 2 cost centres, November 2026',
    );
  });

  it('links each app to its Governance tab and each owner to its page', async () => {
    await render({ getChargebackReport: jest.fn().mockResolvedValue(report) });
    expect(
      await screen.findByRole('link', { name: 'Mail Relay Monitor' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/microapp/mail-relay-monitor/governance',
    );
    expect(
      screen.getByRole('link', { name: 'Team Dinner Splitter' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/microapp/team-dinner-splitter/governance',
    );
    expect(
      within(screen.getByRole('table', { name: 'Owners' })).getByRole('link', {
        name: 'finance-apps',
      }),
    ).toHaveAttribute('href', '/catalog/default/group/finance-apps');
  });

  it('draws a forecast and an actual bar per cost centre, labelled with their amounts', async () => {
    await render({ getChargebackReport: jest.fn().mockResolvedValue(report) });
    const chart = await screen.findByTestId('chargeback-chart');
    expect(chart).toHaveAttribute('role', 'img');
    expect(chart).toHaveAccessibleName(
      /forecast \(hatched\) and actual \(solid\) cost per cost centre, November 2026/,
    );
    for (const key of ['CC-1000', 'CC-4711']) {
      expect(within(chart).getByText(key)).toBeInTheDocument();
    }
    for (const amount of ['€126.00', '€1,234.57', '€40.00', '€27.50']) {
      expect(within(chart).getByText(amount)).toBeInTheDocument();
    }
    // two series of two bars; forecast hatched, actual solid
    const bars = chart.querySelectorAll('.recharts-bar-rectangle path');
    expect(bars).toHaveLength(4);
    const fills = [...bars].map(b => b.getAttribute('fill'));
    expect(
      fills.filter(f => f?.startsWith('url(#forecast-hatch')),
    ).toHaveLength(2);
    expect(fills.filter(f => !f?.startsWith('url('))).toHaveLength(2);
  });

  it('filters the apps by cost centre, tier and owner and sums the rows again', async () => {
    await render({ getChargebackReport: jest.fn().mockResolvedValue(report) });
    await screen.findByRole('table', { name: 'Apps' });
    fireEvent.change(screen.getByLabelText('Tier'), {
      target: { value: 'vetted' },
    });
    expect(rowsOf('Apps').map(r => r[0])).toEqual(['Status Page']);
    expect(rowsOf('Cost centres')).toEqual([
      [
        'Platform operations (CC-1000)',
        '1',
        '—',
        '€6.00',
        '€0.00',
        '€6.00 under',
        '-100 %',
      ],
      ['Total', '1', '', '€6.00', '€0.00', '€6.00 under', '-100 %'],
    ]);
    expect(screen.getByRole('status')).toHaveTextContent(
      '1 app in 1 cost centre',
    );
    fireEvent.change(screen.getByLabelText('Tier'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Cost centre'), {
      target: { value: 'CC-1000' },
    });
    // a cost centre alone keeps its unallocated costs
    expect(rowsOf('Cost centres')[0]).toEqual([
      'Platform operations (CC-1000)',
      '2',
      '€4.94',
      '€126.00',
      '€1,234.57',
      '€1,108.57 over',
      '+879.8 %',
    ]);
    expect(rowsOf('Apps').map(r => r[0])).toEqual([
      'Mail Relay Monitor',
      'Status Page',
    ]);
  });

  it('shows the empty state for a month without costs, and offers the newest month with some', async () => {
    const getChargebackReport = jest.fn(async (month: string) =>
      month === '2026-12' ? emptyReport('2026-12', '2026-11') : report,
    );
    await render({ getChargebackReport }, '/?month=2026-12');
    expect(
      await screen.findByText('No costs imported for 2026-12'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Show November 2026' }));
    expect(
      await screen.findByRole('table', { name: 'Cost centres' }),
    ).toBeInTheDocument();
    expect(getChargebackReport).toHaveBeenLastCalledWith('2026-11');
  });

  it('shows the empty state when no month has costs', async () => {
    await render(
      {
        getChargebackReport: jest
          .fn()
          .mockResolvedValue(emptyReport('2026-11')),
      },
      '/?month=2026-11',
    );
    expect(
      await screen.findByText('No costs imported for 2026-11'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Show/ })).toBeNull();
  });

  it('opens on the previous month, or on the newest month with costs when that has none', async () => {
    const previous = previousMonth();
    const getChargebackReport = jest.fn(async (month: string) =>
      month === previous ? emptyReport(previous, '2026-11') : report,
    );
    await render({ getChargebackReport }, '/');
    expect(
      await screen.findByRole('table', { name: 'Cost centres' }),
    ).toBeInTheDocument();
    expect(getChargebackReport.mock.calls.map(c => c[0])).toEqual([
      previous,
      '2026-11',
    ]);
    expect(screen.getByLabelText('Month')).toHaveValue('2026-11');
  });

  it('says that the report permission is needed on a 403', async () => {
    const forbidden = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'Not allowed: marketplace.report.read',
          },
          request: { method: 'GET', url: '/reports/chargeback' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      ) as any,
    );
    await render({
      getChargebackReport: jest.fn().mockRejectedValue(forbidden),
    });
    expect(
      await screen.findByText('You need the report permission'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download CSV' })).toBeDisabled();
  });

  it('shows other errors in an error panel', async () => {
    await render({
      getChargebackReport: jest.fn().mockRejectedValue(new Error('Boom')),
    });
    expect((await screen.findAllByText(/Boom/)).length).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('downloads the CSV of the month as the backend wrote it', async () => {
    const blob = new Blob(['\uFEFFgroup,key\r\n'], { type: 'text/csv' });
    const getChargebackCsv = jest.fn().mockResolvedValue(blob);
    const createObjectURL = jest.fn(() => 'blob:csv');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: Array<{ download: string; href: string }> = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        clicked.push({ download: this.download, href: this.href });
      });
    await render({
      getChargebackReport: jest.fn().mockResolvedValue(report),
      getChargebackCsv,
    });
    await screen.findByRole('table', { name: 'Apps' });
    fireEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(clicked).toEqual([
      { download: 'chargeback-2026-11.csv', href: 'blob:csv' },
    ]);
    expect(getChargebackCsv).toHaveBeenCalledWith('2026-11');
    expect(createObjectURL).toHaveBeenCalledWith(blob);
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:csv');
    click.mockRestore();
  });
});

describe('RequireReportPermission', () => {
  const renderGate = (result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) =>
    renderInTestApp(
      // usePermission caches decisions across renders; each test starts with none
      <SWRConfig value={{ provider: () => new Map() }}>
        <span>page</span>
        <RequireReportPermission>
          <span>Chargeback item</span>
        </RequireReportPermission>
      </SWRConfig>,
      {
        apis: [
          [
            permissionApiRef,
            mockApis.permission({
              authorize: request =>
                request.permission.name === 'marketplace.report.read'
                  ? result
                  : AuthorizeResult.DENY,
            }),
          ],
        ],
      },
    );

  it('shows the nav item to users who may read reports', async () => {
    await renderGate(AuthorizeResult.ALLOW);
    expect(await screen.findByText('Chargeback item')).toBeInTheDocument();
  });

  it('hides it from the others', async () => {
    await renderGate(AuthorizeResult.DENY);
    await screen.findByText('page');
    // give the permission answer time to arrive
    await new Promise(r => setTimeout(r, 50));
    expect(screen.queryByText('Chargeback item')).toBeNull();
  });
});

describe('the legacy export', () => {
  it('renders the report on its route', async () => {
    const api = {
      getChargebackReport: jest.fn().mockResolvedValue(report),
    } as unknown as MarketplaceApi;
    await renderInLegacyApp(
      <TestApiProvider apis={[[marketplaceApiRef, api]]}>
        <Routes>
          <Route
            path="/marketplace/reports/chargeback"
            element={<LegacyChargebackReportPage />}
          />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/marketplace/reports/chargeback?month=2026-11'] },
    );
    expect(
      await screen.findByRole('link', { name: 'Mail Relay Monitor' }),
    ).toBeInTheDocument();
  });
});

describe('viewOf', () => {
  it('counts the unallocated costs only while no tier or owner is chosen', () => {
    expect(viewOf(report, {}).totals).toBe(report.totals);
    expect(viewOf(report, { costCenter: 'CC-1000' }).totals).toEqual({
      apps: 2,
      forecast: 126,
      actual: 1234.57,
      variance: 1108.57,
      variancePercent: 879.8,
    });
    expect(
      viewOf(report, { owner: 'group:default/platform-team' }).totals,
    ).toEqual({
      apps: 2,
      forecast: 126,
      actual: 1229.63,
      variance: 1103.63,
      variancePercent: 875.9,
    });
  });
});
