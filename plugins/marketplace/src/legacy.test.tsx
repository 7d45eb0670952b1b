import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { MarketplaceApi, marketplaceApiRef } from './api';
import { statusPageEntity, statusPageState } from './__testUtils__/statusPage';
import {
  EntityTierCard,
  legacyMarketplacePlugin,
  legacyMarketplaceRouteRef,
  MarketplacePage,
} from './legacy';

// The legacy exports render the same components inside a legacy (core-plugin-api) app.
const app = {
  ...statusPageState,
  requestedTier: 'vetted',
  gateStatus: 'pass',
  gates: { status: 'pass', counts: { pass: 3 } },
} as const;

const api = {
  listApps: jest.fn().mockResolvedValue({ items: [app] }),
  getApp: jest.fn().mockResolvedValue(app),
} as unknown as MarketplaceApi;

describe('legacy frontend system exports', () => {
  it('is the marketplace plugin with its API and routes', () => {
    expect(legacyMarketplacePlugin.getId()).toBe('marketplace');
    expect([...legacyMarketplacePlugin.getApis()].map(f => f.api.id)).toEqual([
      marketplaceApiRef.id,
    ]);
    expect(legacyMarketplacePlugin.routes.root).toBe(legacyMarketplaceRouteRef);
  });

  it('renders the marketplace page on its route', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[marketplaceApiRef, api]]}>
        <Routes>
          <Route path="/marketplace" element={<MarketplacePage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/marketplace'] },
    );
    expect(
      await screen.findByRole('link', { name: 'Status Page' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Micro App Marketplace')).toBeInTheDocument();
  });

  it('renders an overview card for the entity', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[marketplaceApiRef, api]]}>
        <EntityProvider entity={statusPageEntity}>
          <EntityTierCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('3 of 3 gates passed', { exact: false }),
    ).toBeInTheDocument();
  });
});
