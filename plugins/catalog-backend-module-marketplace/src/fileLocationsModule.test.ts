import { startTestBackend } from '@backstage/backend-test-utils';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogModuleMarketplaceFileLocations } from './fileLocationsModule';
import * as packageExports from './index';

describe('catalogModuleMarketplaceFileLocations', () => {
  it('allows file locations besides url ones', async () => {
    const extensionPoint = { setAllowedLocationTypes: jest.fn() };
    await startTestBackend({
      extensionPoints: [[catalogLocationsExtensionPoint, extensionPoint]],
      features: [catalogModuleMarketplaceFileLocations],
    });
    expect(extensionPoint.setAllowedLocationTypes).toHaveBeenCalledTimes(1);
    expect(extensionPoint.setAllowedLocationTypes).toHaveBeenCalledWith([
      'url',
      'file',
    ]);
  });

  it('is a named export only, never installed by the default one', () => {
    expect(packageExports.catalogModuleMarketplaceFileLocations).toBe(
      catalogModuleMarketplaceFileLocations,
    );
    expect(packageExports.default).not.toBe(
      catalogModuleMarketplaceFileLocations,
    );
  });
});
