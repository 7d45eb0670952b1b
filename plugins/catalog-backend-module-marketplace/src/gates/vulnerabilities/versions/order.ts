/**
 * -1, 0 or 1 as `a` sorts before, with or after `b` (numbers or code-unit order of strings).
 *
 * @internal
 */
export function order<T extends number | string>(a: T, b: T): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
