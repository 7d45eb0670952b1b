import { startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogModuleMarketplace } from './module';
import { MicroAppProcessor } from './processor/MicroAppProcessor';

describe('catalogModuleMarketplace', () => {
  it('adds the MicroApp processor to the catalog', async () => {
    const extensionPoint = { addProcessor: jest.fn() };
    await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint]],
      features: [catalogModuleMarketplace],
    });
    expect(extensionPoint.addProcessor).toHaveBeenCalledWith(
      expect.any(MicroAppProcessor),
    );
  });
});
