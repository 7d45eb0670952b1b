import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import type { AppState } from '@microapps/plugin-marketplace-common';
import { MarketplaceApi, marketplaceApiRef } from './api';
import {
  EntityTierCard,
  legacyMarketplacePlugin,
  legacyMarketplaceRouteRef,
  MarketplacePage,
} from './legacy';

// The legacy exports render the same components inside a legacy (core-plugin-api) app.
const app: AppState = {
  entityRef: 'microapp:default/status-page',
  namespace: 'default',
  name: 'status-page',
  title: 'Status Page',
  owner: 'group:default/platform-team',
  tier: 'vetted',
  requestedTier: 'vetted',
  gateStatus: 'pass',
  cost: { center: 'CC-1000', monthlyForecast: 6, currency: 'EUR' },
  expiresAt: null,
  gates: { status: 'pass', counts: { pass: 3 } },
  exceptions: [],
  support: {},
  promotion: null,
};

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
    const entity: Entity = {
      apiVersion: 'microapps.dev/v1alpha1',
      kind: 'MicroApp',
      metadata: { name: 'status-page', namespace: 'default' },
      spec: {},
    };
    await renderInTestApp(
      <TestApiProvider apis={[[marketplaceApiRef, api]]}>
        <EntityProvider entity={entity}>
          <EntityTierCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('3 of 3 gates passed', { exact: false }),
    ).toBeInTheDocument();
  });
});
