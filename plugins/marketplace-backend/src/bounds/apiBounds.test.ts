import { ConfigReader } from '@backstage/config';
import { DEFAULT_API_BOUNDS, readApiBounds } from './apiBounds';

const read = (api: object) =>
  readApiBounds(new ConfigReader({ marketplace: { api } }));

describe('readApiBounds', () => {
  it('defaults to 100 kB, 5 MB for metrics, 10 MiB for gate runs and 16 levels', () => {
    expect(read({})).toEqual({
      maxBodyBytes: 102400,
      metricsMaxBodyBytes: 5242880,
      gateRunMaxBodyBytes: 10485760,
      maxJsonDepth: 16,
    });
    expect(DEFAULT_API_BOUNDS).toEqual(read({}));
  });

  it('takes the ends of each range', () => {
    expect(
      read({
        maxBodyBytes: 1024,
        metricsMaxBodyBytes: 104857600,
        gateRunMaxBodyBytes: 1024,
        maxJsonDepth: 5,
      }),
    ).toEqual({
      maxBodyBytes: 1024,
      metricsMaxBodyBytes: 104857600,
      gateRunMaxBodyBytes: 1024,
      maxJsonDepth: 5,
    });
    expect(read({ maxJsonDepth: 1000 }).maxJsonDepth).toBe(1000);
  });

  it.each([
    [
      { maxBodyBytes: 1023 },
      'marketplace.api.maxBodyBytes must be a whole number of bytes from 1024 to 104857600, got 1023',
    ],
    [
      { maxBodyBytes: 104857601 },
      'marketplace.api.maxBodyBytes must be a whole number of bytes from 1024 to 104857600, got 104857601',
    ],
    [
      { maxBodyBytes: '100kb' },
      'marketplace.api.maxBodyBytes must be a whole number of bytes from 1024 to 104857600, got "100kb"',
    ],
    [
      { metricsMaxBodyBytes: 2048.5 },
      'marketplace.api.metricsMaxBodyBytes must be a whole number of bytes from 1024 to 104857600, got 2048.5',
    ],
    [
      { gateRunMaxBodyBytes: 1023 },
      'marketplace.api.gateRunMaxBodyBytes must be a whole number of bytes from 1024 to 104857600, got 1023',
    ],
    [
      { maxJsonDepth: 4 },
      'marketplace.api.maxJsonDepth must be a whole number of levels from 5 to 1000, got 4',
    ],
    [
      { maxJsonDepth: 1001 },
      'marketplace.api.maxJsonDepth must be a whole number of levels from 5 to 1000, got 1001',
    ],
  ])('refuses %j naming the key', (api, message) => {
    expect(() => read(api)).toThrow(message);
  });
});
