import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { configApiRef } from '@backstage/core-plugin-api';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { mockApis } from '@backstage/frontend-test-utils';
import { MarketplaceApi, marketplaceApiRef } from './api';
import { statusPageEntity, statusPageState } from './__testUtils__/statusPage';
import { fieldProps } from './__testUtils__/fieldProps';
import {
  EntityTierCard,
  legacyMarketplacePlugin,
  legacyMarketplaceRouteRef,
  MarketplacePage,
  MicroAppAudiencePickerFieldExtension,
  MicroAppClassificationPickerFieldExtension,
  MicroAppCostCenterPickerFieldExtension,
  MicroAppPermissionPickerFieldExtension,
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

  it('provides the scaffolder form fields for <ScaffolderFieldExtensions>', async () => {
    // What the legacy scaffolder's router does with the children of its route
    const Fields = () => {
      const fields = useCustomFieldExtensions(
        <ScaffolderFieldExtensions>
          <MicroAppCostCenterPickerFieldExtension />
          <MicroAppClassificationPickerFieldExtension />
          <MicroAppPermissionPickerFieldExtension />
          <MicroAppAudiencePickerFieldExtension />
        </ScaffolderFieldExtensions>,
      );
      const CostCenter = fields.find(
        f => f.name === 'MicroAppCostCenterPicker',
      )!.component;
      return (
        <>
          <ul>
            {fields.map(f => (
              <li key={f.name}>
                {f.name}
                {f.validation ? ' (validated)' : ''}
              </li>
            ))}
          </ul>
          <CostCenter {...fieldProps<unknown>({ formData: 'CC-4711' })} />
        </>
      );
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            configApiRef,
            mockApis.config({
              data: {
                marketplace: {
                  cost: {
                    centers: [{ id: 'CC-4711', name: 'Finance applications' }],
                  },
                },
              },
            }),
          ],
        ]}
      >
        <Fields />
      </TestApiProvider>,
    );
    expect(
      screen.getAllByRole('listitem').map(item => item.textContent),
    ).toEqual([
      'MicroAppCostCenterPicker (validated)',
      'MicroAppClassificationPicker (validated)',
      'MicroAppPermissionPicker (validated)',
      'MicroAppAudiencePicker (validated)',
    ]);
    expect(
      await screen.findByDisplayValue('CC-4711 · Finance applications'),
    ).toBeInTheDocument();
  });
});
