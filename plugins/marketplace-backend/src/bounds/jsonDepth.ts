const pointerSegment = (key: string) =>
  key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The first object or array of parsed JSON that lies deeper than `maxDepth` (the value itself
 * is at depth 1), as a JSON pointer such as `/results/0/findings/0/message` with its depth;
 * undefined when there is none. Iterative, so a deep body cannot overflow the stack of the
 * check that is to refuse it.
 */
export function findTooDeep(
  value: unknown,
  maxDepth: number,
): { pointer: string; depth: number } | undefined {
  const stack: Array<[unknown, number, string]> = [[value, 1, '']];
  while (stack.length) {
    const [node, depth, pointer] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return { pointer, depth };
    for (const [key, child] of Object.entries(node)) {
      if (child !== null && typeof child === 'object') {
        stack.push([child, depth + 1, `${pointer}/${pointerSegment(key)}`]);
      }
    }
  }
  return undefined;
}
