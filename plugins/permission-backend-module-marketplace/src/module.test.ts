import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { permissionModuleMarketplacePolicy } from './module';
import { MarketplacePermissionPolicy } from './policy/MarketplacePermissionPolicy';

describe('permissionModuleMarketplacePolicy', () => {
  it('installs the governance policy', async () => {
    const setPolicy = jest.fn();
    await startTestBackend({
      extensionPoints: [[policyExtensionPoint, { setPolicy }]],
      features: [
        permissionModuleMarketplacePolicy,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(setPolicy).toHaveBeenCalledWith(
      expect.any(MarketplacePermissionPolicy),
    );
  });
});
