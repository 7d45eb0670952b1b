import { locateJsonError } from './locateJsonError';

describe('locateJsonError', () => {
  it('finds nothing wrong with valid JSON', () => {
    for (const text of [
      '{}',
      ' [1, -2.5e3, "a\\u00e9\\n", true, false, null, {"a": []}] ',
      '"x"',
    ]) {
      expect(locateJsonError({ text })).toBeUndefined();
    }
  });

  it.each([
    ['{"a": }', 1, 7, 'Expected a value'],
    ['{"a": 1,\n  "b" 2}', 2, 7, "Expected ':'"],
    ['[1, 2', 1, 6, "Expected ',' or ']', found end of input"],
    ['{\n"a": "x\ny"}', 2, 8, 'Control character in string'],
    ['{"a": "\\q"}', 1, 8, 'Bad escape'],
    ['{"a": 01}', 1, 8, "Expected ',' or '}'"],
    ["{'a': 1}", 1, 2, 'Expected a property name'],
    ['{} x', 1, 4, 'after the JSON value'],
    ['{"a": "unterminated', 1, 7, 'Unterminated string'],
    ['', 1, 1, 'found end of input'],
  ])('locates the error in %j', (text, line, column, message) => {
    const problem = locateJsonError({ text });
    expect(problem).toMatchObject({ line, column });
    expect(problem?.message).toContain(message);
    // Each case is also refused by the real parser.
    expect(() => JSON.parse(text)).toThrow();
  });

  it('copes with nesting far deeper than the call stack', () => {
    const text = `${'['.repeat(200_000)}${']'.repeat(199_999)}`;
    expect(locateJsonError({ text })).toMatchObject({
      line: 1,
      column: 400_000,
    });
  });
});
