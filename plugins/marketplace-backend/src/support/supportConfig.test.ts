import { ConfigReader } from '@backstage/config';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { marketplacePlugin } from '../plugin';
import { readSupportConfig } from './supportConfig';

const read = (support: object) =>
  readSupportConfig(new ConfigReader({ marketplace: { support } }));

describe('readSupportConfig', () => {
  it('defaults to S1 60, S2 240, S3 1440 minutes and a pull every 15 minutes', () => {
    expect(readSupportConfig(new ConfigReader({}))).toEqual({
      slaTargets: { S1: 60, S2: 240, S3: 1440 },
      pullEvery: { minutes: 15 },
    });
  });

  it('takes configured targets and a pull interval', () => {
    expect(read({ slaTargets: { S1: 30 }, pullEvery: 'PT5M' })).toEqual({
      slaTargets: { S1: 30, S2: 240, S3: 1440 },
      pullEvery: { minutes: 5 },
    });
    expect(read({ pullEvery: { hours: 1 } }).pullEvery).toEqual({ hours: 1 });
  });

  it.each([
    [{ slaTargets: { S1: 0 } }, 'marketplace.support.slaTargets.S1'],
    [{ slaTargets: { S2: -5 } }, 'marketplace.support.slaTargets.S2'],
    [{ slaTargets: { S3: 1.5 } }, 'marketplace.support.slaTargets.S3'],
    [{ slaTargets: { S1: '1h' } }, 'marketplace.support.slaTargets.S1'],
    [{ slaTargets: { S4: 10 } }, 'marketplace.support.slaTargets.S4'],
    [{ pullEvery: 'often' }, 'marketplace.support.pullEvery'],
    [{ pullEvery: { fortnights: 1 } }, 'marketplace.support.pullEvery'],
  ])('refuses %j naming the key', (support, key) => {
    expect(() => read(support)).toThrow(`Invalid config ${key}`);
  });

  it('stops the backend from starting with a bad target', async () => {
    await expect(
      startTestBackend({
        features: [
          marketplacePlugin,
          catalogServiceMock.factory(),
          mockServices.rootConfig.factory({
            data: { marketplace: { support: { slaTargets: { S1: -1 } } } },
          }),
        ],
      }),
    ).rejects.toThrow(
      'Invalid config marketplace.support.slaTargets.S1: expected a whole number of minutes from 1 to 525600, got -1',
    );
  });
});
