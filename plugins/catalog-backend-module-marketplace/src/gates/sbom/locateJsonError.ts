/**
 * Where and why a text is not JSON.
 *
 * @internal
 */
export interface JsonSyntaxProblem {
  message: string;
  /** Character offset, 0-based. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;
const LITERALS = /^(?:true|false|null)/;

type State = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'afterValue';

// V8 names the position for some errors only ("Unexpected token ..." has none), so this
// scans the text itself; iteratively, so that deep nesting cannot overflow the stack.
/**
 * Finds the first syntax error in a text that `JSON.parse` refused.
 *
 * @internal
 */
export function locateJsonError(options: {
  text: string;
}): JsonSyntaxProblem | undefined {
  const { text } = options;
  const containers: string[] = [];
  let i = 0;
  let state: State = 'value';

  const at = (message: string, offset = i): JsonSyntaxProblem => {
    let line = 1;
    let lineStart = 0;
    for (
      let p = text.indexOf('\n');
      p !== -1 && p < offset;
      p = text.indexOf('\n', p + 1)
    ) {
      line += 1;
      lineStart = p + 1;
    }
    return { message, offset, line, column: offset - lineStart + 1 };
  };
  const describe = (offset: number) =>
    offset >= text.length
      ? 'end of input'
      : `character ${JSON.stringify(text[offset])}`;
  const skipWhitespace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i += 1;
  };
  // Returns a problem or advances past the string.
  const scanString = (): JsonSyntaxProblem | undefined => {
    const start = i;
    i += 1;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i += 1;
        return undefined;
      }
      if (c < ' ') return at('Control character in string');
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!HEX4.test(text.slice(i + 2, i + 6)))
            return at('Bad \\u escape in string');
          i += 6;
          continue;
        }
        if (!ESCAPES.has(next)) return at('Bad escape in string');
        i += 2;
        continue;
      }
      i += 1;
    }
    return at('Unterminated string', start);
  };

  for (;;) {
    skipWhitespace();
    switch (state) {
      case 'valueOrEnd':
      case 'keyOrEnd': {
        const end = state === 'valueOrEnd' ? ']' : '}';
        if (text[i] === end) {
          containers.pop();
          i += 1;
          state = 'afterValue';
        } else {
          state = state === 'valueOrEnd' ? 'value' : 'key';
        }
        break;
      }
      case 'key': {
        if (text[i] !== '"')
          return at(
            `Expected a property name in double quotes, found ${describe(i)}`,
          );
        const problem = scanString();
        if (problem) return problem;
        skipWhitespace();
        if (text[i] !== ':')
          return at(`Expected ':' after property name, found ${describe(i)}`);
        i += 1;
        state = 'value';
        break;
      }
      case 'value': {
        const c = text[i];
        if (c === '{' || c === '[') {
          containers.push(c);
          i += 1;
          state = c === '{' ? 'keyOrEnd' : 'valueOrEnd';
          break;
        }
        if (c === '"') {
          const problem = scanString();
          if (problem) return problem;
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          if (!NUMBER.test(text)) return at('Bad number');
          i = NUMBER.lastIndex;
        } else {
          const literal = LITERALS.exec(text.slice(i, i + 5));
          if (!literal) return at(`Expected a value, found ${describe(i)}`);
          i += literal[0].length;
        }
        state = 'afterValue';
        break;
      }
      case 'afterValue':
      default: {
        const top = containers[containers.length - 1];
        if (top === undefined) {
          return i < text.length
            ? at(`Unexpected ${describe(i)} after the JSON value`)
            : undefined;
        }
        const end = top === '{' ? '}' : ']';
        if (text[i] === ',') {
          i += 1;
          state = top === '{' ? 'key' : 'value';
        } else if (text[i] === end) {
          containers.pop();
          i += 1;
        } else {
          return at(`Expected ',' or '${end}', found ${describe(i)}`);
        }
      }
    }
  }
}
