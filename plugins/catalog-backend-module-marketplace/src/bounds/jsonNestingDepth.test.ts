import { exceedsJsonDepth } from './jsonNestingDepth';

describe('exceedsJsonDepth', () => {
  const both = (text: string) => [text, Buffer.from(text)];

  it.each([
    ['{}', 1],
    ['[]', 1],
    ['{"a": [1, {"b": []}]}', 4],
    ['[[], [[]], []]', 3],
  ])(
    '%s is %i deep: within the limit at it, over it one below',
    (text, depth) => {
      for (const data of both(text)) {
        expect(exceedsJsonDepth({ data, maxDepth: depth })).toBe(false);
        expect(exceedsJsonDepth({ data, maxDepth: depth - 1 })).toBe(true);
      }
    },
  );

  it.each(['1', '"[{"', 'null'])('%s, a scalar, is 0 deep', text => {
    for (const data of both(text)) {
      expect(exceedsJsonDepth({ data, maxDepth: 0 })).toBe(false);
    }
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '[[[{{{', b: 'say \\"[[[\\"', c: '\\\\' });
    expect(JSON.parse(text)).toBeTruthy();
    for (const data of both(text)) {
      expect(exceedsJsonDepth({ data, maxDepth: 1 })).toBe(false);
    }
    // a string ending in a backslash does not swallow the closing quote
    for (const data of both('[["\\\\"], ["\\\\"]]')) {
      expect(exceedsJsonDepth({ data, maxDepth: 2 })).toBe(false);
      expect(exceedsJsonDepth({ data, maxDepth: 1 })).toBe(true);
    }
  });

  it('reads UTF-8 bytes as the text they encode', () => {
    const text = JSON.stringify({ 'ключ-🔑': ['значение [', { ü: '}' }] });
    const bytes = new TextEncoder().encode(text);
    for (const maxDepth of [1, 2, 3]) {
      expect(exceedsJsonDepth({ data: bytes, maxDepth })).toBe(
        exceedsJsonDepth({ data: text, maxDepth }),
      );
    }
    expect(exceedsJsonDepth({ data: bytes, maxDepth: 3 })).toBe(false);
    expect(exceedsJsonDepth({ data: bytes, maxDepth: 2 })).toBe(true);
  });

  it('answers for a million levels without recursion', () => {
    const text = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    const started = Date.now();
    expect(exceedsJsonDepth({ data: text, maxDepth: 1_000_000 })).toBe(false);
    expect(exceedsJsonDepth({ data: text, maxDepth: 999_999 })).toBe(true);
    expect(
      exceedsJsonDepth({ data: Buffer.from(text), maxDepth: 1_000_000 }),
    ).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
