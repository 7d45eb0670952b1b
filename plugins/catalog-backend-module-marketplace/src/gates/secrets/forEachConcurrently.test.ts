import { forEachConcurrently } from './forEachConcurrently';

describe('forEachConcurrently', () => {
  const tick = () => new Promise(resolve => setTimeout(resolve, 1));

  it('runs every item with at most the given number in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    await forEachConcurrently({
      items: Array.from({ length: 10 }, (_, i) => i),
      concurrency: 3,
      worker: async item => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await tick();
        seen.push(item);
        inFlight -= 1;
      },
    });
    expect(most).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects with the first error and starts no further items', async () => {
    const started: number[] = [];
    await expect(
      forEachConcurrently({
        items: [0, 1, 2, 3, 4, 5],
        concurrency: 2,
        worker: async item => {
          started.push(item);
          await tick();
          if (item === 1) throw new Error('boom');
        },
      }),
    ).rejects.toThrow('boom');
    expect(started.length).toBeLessThan(6);
  });
});
