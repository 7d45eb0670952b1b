import { readCostCenters } from './costCenters';

describe('readCostCenters', () => {
  // the shape of a backend Config and of the frontend's ConfigApi
  const configWith = (centers: unknown) => ({
    getOptional: <T>(key: string) =>
      (key === 'marketplace.cost.centers' ? centers : undefined) as T,
  });
  const read = (centers: unknown) => readCostCenters(configWith(centers));

  it('reads ids and objects with names', () => {
    expect(read(['CC-1', { id: 'CC-2', name: 'Two' }, { id: 'CC-3' }])).toEqual(
      [{ id: 'CC-1' }, { id: 'CC-2', name: 'Two' }, { id: 'CC-3' }],
    );
  });

  it('is undefined when the key is not set', () => {
    expect(read(undefined)).toBeUndefined();
  });

  it('names an entry without an id', () => {
    expect(() => read(['CC-1', { name: 'No id' }])).toThrow(
      'marketplace.cost.centers[1] must be a string or have an id',
    );
  });
});
