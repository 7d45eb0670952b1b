import { exceedsJsonDepth } from './jsonNestingDepth';

describe('exceedsJsonDepth', () => {
  it.each([
    ['{}', 1],
    ['[]', 1],
    ['{"a": [1, {"b": []}]}', 4],
    ['[[], [[]], []]', 3],
  ])(
    '%s is %i deep: within the limit at it, over it one below',
    (text, depth) => {
      expect(exceedsJsonDepth(text, depth)).toBe(false);
      expect(exceedsJsonDepth(text, depth - 1)).toBe(true);
    },
  );

  it.each(['1', '"[{"', 'null'])('%s, a scalar, is 0 deep', text => {
    expect(exceedsJsonDepth(text, 0)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '[[[{{{', b: 'say \\"[[[\\"', c: '\\\\' });
    expect(JSON.parse(text)).toBeTruthy();
    expect(exceedsJsonDepth(text, 1)).toBe(false);
    // a string ending in a backslash does not swallow the closing quote
    const ending = '[["\\\\"], ["\\\\"]]';
    expect(exceedsJsonDepth(ending, 2)).toBe(false);
    expect(exceedsJsonDepth(ending, 1)).toBe(true);
  });

  it('answers for a million levels without recursion', () => {
    const text = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    const started = Date.now();
    expect(exceedsJsonDepth(text, 1_000_000)).toBe(false);
    expect(exceedsJsonDepth(text, 999_999)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
