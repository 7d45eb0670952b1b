import { findTooDeep } from './jsonDepth';

/** `levels` arrays nested in each other: `[[]]` is 2 levels. */
const nested = (levels: number) =>
  JSON.parse('['.repeat(levels) + ']'.repeat(levels));

describe('findTooDeep', () => {
  it('lets a value as deep as the limit through and names the first level over it', () => {
    expect(findTooDeep(nested(5), 5)).toBeUndefined();
    expect(findTooDeep(nested(6), 5)).toEqual({
      pointer: '/0/0/0/0/0',
      depth: 6,
    });
  });

  it('counts objects and arrays, not scalars, and names the path as a JSON pointer', () => {
    const body = {
      results: [{ findings: [{ message: 'x', 'a/b~': { deep: {} } }] }],
    };
    // body 1, results 2, result 3, findings 4, finding 5, 'a/b~' 6, deep 7
    expect(findTooDeep(body, 7)).toBeUndefined();
    expect(findTooDeep(body, 6)).toEqual({
      pointer: '/results/0/findings/0/a~1b~0/deep',
      depth: 7,
    });
    expect(findTooDeep('text', 1)).toBeUndefined();
    expect(findTooDeep(null, 1)).toBeUndefined();
  });

  it('walks a body nested 100,000 levels deep without overflowing the stack', () => {
    expect(findTooDeep(nested(100_000), 16)?.depth).toBe(17);
    expect(findTooDeep(nested(100_000), 100_000)).toBeUndefined();
  });
});
