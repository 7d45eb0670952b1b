import { mockServices } from '@backstage/backend-test-utils';
import { cacheServiceGateCache } from './cacheServiceGateCache';

describe('cacheServiceGateCache', () => {
  it('serves repeated reads from memory and falls back to the cache service', async () => {
    const service = mockServices.cache.mock();
    const store = new Map<string, unknown>();
    service.withOptions.mockReturnValue(service);
    service.get.mockImplementation(async (k: string) => store.get(k) as any);
    service.set.mockImplementation(async (k: string, v: unknown) => {
      store.set(k, v);
    });
    const cache = cacheServiceGateCache(service);
    await cache.set('a', { n: 1 });
    expect(await cache.get('a')).toEqual({ n: 1 });
    expect(service.get).not.toHaveBeenCalled();

    store.set('b', { n: 2 }); // written by another instance
    expect(await cache.get('b')).toEqual({ n: 2 });
    expect(await cache.get('b')).toEqual({ n: 2 });
    expect(service.get).toHaveBeenCalledTimes(1);
    expect(await cache.get('missing')).toBeUndefined();
  });

  it('keeps the in-process layer within its bound, dropping the least recently used', async () => {
    const service = mockServices.cache.mock();
    service.withOptions.mockReturnValue(service);
    service.get.mockResolvedValue(undefined);
    const cache = cacheServiceGateCache(service, { maxMemoryChars: 400 });
    const big = 'x'.repeat(80);
    await cache.set('k1', big);
    await cache.set('k2', big);
    await cache.set('k3', big);
    await cache.get('k1'); // k1 is now the most recently used
    await cache.set('k4', big);
    await cache.set('k5', big); // over the bound: k2 and k3 go first
    expect(await cache.get('k1')).toBe(big);
    expect(await cache.get('k5')).toBe(big);
    expect(await cache.get('k2')).toBeUndefined();
  });
});
