import { startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleMarketplace } from './module';

describe('scaffolderModuleMarketplace', () => {
  it('adds the five marketplace actions', async () => {
    const extensionPoint = { addActions: jest.fn() };
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, extensionPoint]],
      features: [scaffolderModuleMarketplace, catalogServiceMock.factory()],
    });
    expect(extensionPoint.addActions.mock.calls.flat().map(a => a.id)).toEqual([
      'marketplace:manifest:write',
      'marketplace:sbom:generate',
      'marketplace:publish:local',
      'marketplace:app:register',
      'marketplace:promotion:request',
    ]);
  });
});
