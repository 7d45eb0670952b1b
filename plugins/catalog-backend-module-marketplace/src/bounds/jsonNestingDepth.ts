const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Whether a JSON text nests objects and arrays deeper than `maxDepth` (`{}` and `[]` are
 * depth 1, `{"a": [1]}` depth 2, a lone scalar 0), checked on the text before anything parses
 * it: a loop over its characters with a counter, no recursion and no allocation, so a
 * document 100,000 levels deep is answered as fast as a flat one of its size and cannot
 * overflow the stack of a parser or schema validator later. Stops at the first level past
 * the limit.
 *
 * Brackets inside strings do not count. Invalid JSON gives a meaningless depth; whoever
 * parses it next reports the syntax.
 *
 * @internal
 */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}
