import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import type { AppSummary } from '@microapps/plugin-marketplace-common';
import { MarketplaceApi, marketplaceApiRef } from '../../api';
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
    expect(listApps).toHaveBeenLastCalledWith({ limit: 25, cursor: 'c2' });
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
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
