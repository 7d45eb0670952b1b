import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import type { AppSummary } from '@microapps/plugin-marketplace-common';
import { MarketplaceApi, marketplaceApiRef } from '../../api';
import {
  noDataOperations,
  overForecastOperations,
  withinBudgetOperations,
} from '../../__testUtils__/operations';
import { MarketplacePage } from './MarketplacePage';

const app = (
  name: string,
  overrides: Partial<AppSummary> = {},
): AppSummary => ({
  entityRef: `microapp:default/${name}`,
  namespace: 'default',
  name,
  title: name.replace(/-/g, ' '),
  owner: 'group:default/finance-apps',
  tier: 'discover',
  requestedTier: 'vetted',
  gateStatus: 'warn',
  classification: 'internal',
  slaTier: 'S3',
  cost: { center: 'CC-4711', monthlyForecast: 40, currency: 'EUR' },
  ...overrides,
});

function render(api: Partial<MarketplaceApi>) {
  return renderInTestApp(<MarketplacePage />, {
    apis: [[marketplaceApiRef, api as MarketplaceApi]],
  });
}

describe('MarketplacePage', () => {
  it('lists the apps with tier, gate status, owner and cost, and pages with the cursor', async () => {
    const listApps = jest
      .fn()
      .mockResolvedValueOnce({
        items: [
          app('expense-helper'),
          app('status-page', { tier: 'vetted', gateStatus: 'pass' }),
        ],
        nextCursor: 'c2',
      })
      .mockResolvedValueOnce({ items: [app('zeta')] });
    await render({ listApps });
    expect(await screen.findByText('expense helper')).toBeInTheDocument();
    expect(screen.getByText('requests vetted')).toBeInTheDocument();
    expect(screen.getByText('Passed')).toBeInTheDocument();
    expect(screen.getByText('Warning')).toBeInTheDocument();
    expect(screen.getAllByText('€40.00')).toHaveLength(2);
    expect(screen.getByRole('status')).toHaveTextContent('2 apps on this page');
    expect(listApps).toHaveBeenLastCalledWith({ limit: 25 });

    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('zeta')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('1 app on this page');
    expect(listApps).toHaveBeenLastCalledWith({ limit: 25, cursor: 'c2' });
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('shows cost against forecast or budget, the SLA state and the flags from the page alone', async () => {
    const summary = ({
      cost,
      slaState,
      flags,
    }: typeof overForecastOperations) => ({ cost, slaState, flags });
    const listApps = jest.fn().mockResolvedValue({
      items: [
        app('expense-helper', {
          slaTier: 'S1',
          operations: summary(overForecastOperations),
        }),
        app('status-page', {
          slaTier: 'S2',
          operations: summary(withinBudgetOperations),
        }),
        app('new-widget', { operations: summary(noDataOperations) }),
        app('old-backend'),
      ],
    });
    const getApp = jest.fn();
    await render({ listApps, getApp });
    const table = await screen.findByRole('table', { name: 'Micro apps' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'Name',
      'Tier',
      'Gate status',
      'Owner',
      'Classification',
      'SLA',
      'Cost centre',
      'Forecast / month',
      'Cost this month',
    ]);
    const row = (title: string) =>
      within(screen.getByText(title).closest('tr')!);

    const over = row('expense helper');
    expect(over.getByText('€44.80 of €40.00')).toBeInTheDocument();
    expect(over.getByText('over forecast, +12 %')).toBeInTheDocument();
    expect(over.getByText('Breached')).toBeInTheDocument();
    expect(over.getByText('S1')).toBeInTheDocument();
    const marker = over.getByRole('img', { name: /^Needs attention: / });
    expect(marker).toHaveAccessibleName(
      'Needs attention: Enterprise listing without a runbook; Idle: no recent activity',
    );
    expect(marker).toHaveTextContent('Needs attention');

    const within_ = row('status page');
    expect(within_.getByText('€31.00 of €45.00')).toBeInTheDocument();
    expect(within_.getByText('within budget')).toBeInTheDocument();
    expect(within_.getByText('Met')).toBeInTheDocument();
    expect(within_.queryByText('Needs attention')).toBeNull();

    const noData = row('new widget');
    expect(noData.getByText('No costs imported')).toBeInTheDocument();
    expect(noData.getByText('No data')).toBeInTheDocument();

    // a backend without figures: the tier and the forecast as before
    const old = row('old backend');
    expect(old.getByText('S3')).toBeInTheDocument();
    expect(old.getByText('€40.00')).toBeInTheDocument();
    expect(old.queryByText(/No data|No costs imported/)).toBeNull();

    // one request for the page, none per row
    expect(listApps).toHaveBeenCalledTimes(1);
    expect(getApp).not.toHaveBeenCalled();
  });

  it('filters on the server and offers to clear filters that match nothing', async () => {
    const listApps = jest.fn().mockResolvedValue({ items: [] });
    await render({ listApps });
    expect(await screen.findByText('No apps yet')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: 'payroll' },
    });
    await waitFor(() =>
      expect(listApps).toHaveBeenLastCalledWith({ q: 'payroll', limit: 25 }),
    );
    expect(
      await screen.findByText('No apps match these filters'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() =>
      expect(listApps).toHaveBeenLastCalledWith({ limit: 25 }),
    );
  });

  it('filters by classification and cost center, kept in the URL', async () => {
    const listApps = jest.fn().mockResolvedValue({ items: [] });
    await render({ listApps });
    expect(await screen.findByText('No apps yet')).toBeInTheDocument();
    fireEvent.mouseDown(screen.getByRole('button', { name: /Classification/ }));
    const options = within(screen.getByRole('listbox'));
    expect(options.getAllByRole('option').map(o => o.textContent)).toEqual([
      'Any',
      'Public',
      'Internal',
      'Confidential',
      'Restricted',
    ]);
    fireEvent.click(options.getByRole('option', { name: 'Confidential' }));
    expect(screen.getByPlaceholderText('CC-4711')).toBe(
      screen.getByLabelText('Cost center'),
    );
    fireEvent.change(screen.getByLabelText('Cost center'), {
      target: { value: 'CC-1000' },
    });
    await waitFor(() =>
      expect(listApps).toHaveBeenLastCalledWith({
        classification: 'confidential',
        costCenter: 'CC-1000',
        limit: 25,
      }),
    );
    expect(
      await screen.findByText('No apps match these filters'),
    ).toBeInTheDocument();
  });

  it('offers Expired in the tier filter and shows expired apps as Expired', async () => {
    const listApps = jest
      .fn()
      .mockResolvedValueOnce({ items: [app('expense-helper')] })
      .mockResolvedValue({
        items: [app('old-widget', { tier: 'expired' })],
      });
    await render({ listApps });
    expect(await screen.findByText('expense helper')).toBeInTheDocument();
    fireEvent.mouseDown(screen.getByRole('button', { name: /Tier/ }));
    const options = within(screen.getByRole('listbox'));
    expect(options.getAllByRole('option').map(o => o.textContent)).toEqual([
      'All tiers',
      'Discover',
      'Vetted',
      'Enterprise',
      'Expired',
    ]);
    fireEvent.click(options.getByRole('option', { name: 'Expired' }));
    await waitFor(() =>
      expect(listApps).toHaveBeenLastCalledWith({ tier: 'expired', limit: 25 }),
    );
    expect(await screen.findByText('old widget')).toBeInTheDocument();
    expect(screen.getByTestId('tier-expired')).toHaveTextContent('Expired');
  });

  it('reads classification and cost center from the URL', async () => {
    const listApps = jest.fn().mockResolvedValue({ items: [] });
    await renderInTestApp(<MarketplacePage />, {
      apis: [
        [
          marketplaceApiRef,
          { listApps } as Partial<MarketplaceApi> as MarketplaceApi,
        ],
      ],
      initialRouteEntries: ['/?classification=restricted&costCenter=CC-3100'],
    });
    await waitFor(() =>
      expect(listApps).toHaveBeenLastCalledWith({
        classification: 'restricted',
        costCenter: 'CC-3100',
        limit: 25,
      }),
    );
    expect(screen.getByLabelText('Cost center')).toHaveValue('CC-3100');
    expect(
      screen.getByRole('button', { name: /Classification/ }),
    ).toHaveTextContent('Restricted');
  });

  it('invites to create the first app when there are none and no filters', async () => {
    const listApps = jest.fn().mockResolvedValue({ items: [] });
    await render({ listApps });
    expect(await screen.findByText('No apps yet')).toBeInTheDocument();
    expect(
      screen.getByText('Create the first micro app from a secure template.'),
    ).toBeInTheDocument();
    expect(screen.queryByText('No apps match these filters')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
    // one link in the header, one in the empty state, both to the templates (LinkButton
    // renders an anchor with role="button")
    const links = screen.getAllByRole('button', { name: 'Create a micro app' });
    expect(links).toHaveLength(2);
    for (const link of links) {
      expect(link).toHaveAttribute('href', '/create');
    }
    expect(listApps).toHaveBeenCalledTimes(1);
    expect(listApps).toHaveBeenCalledWith({ limit: 25 });
  });

  it('shows the error and loads again on Retry', async () => {
    const listApps = jest
      .fn()
      .mockRejectedValueOnce(
        Object.assign(new Error('backend down'), {
          name: 'ResponseError',
        }) as ResponseError,
      )
      .mockResolvedValueOnce({ items: [app('back-again')] });
    await render({ listApps });
    fireEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('back again')).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await render({ listApps: () => new Promise(() => {}) });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });
});
