/**
 * How one ecosystem reads and orders its versions.
 *
 * @public
 */
export interface VersionScheme<T = unknown> {
  /** A short name for messages, e.g. `npm` or `Maven`. */
  readonly name: string;
  /** Reads a version; undefined when the scheme cannot. */
  parse(version: string): T | undefined;
  /** Negative when `a` sorts before `b`, zero when they are the same version, positive after. */
  compare(a: T, b: T): number;
  /**
   * Optional shortcut for matching many ranges: a number such that `rank(a) < rank(b)`
   * implies `a < b`. Equal ranks say nothing (`compare` decides); NaN means no rank.
   */
  rank?(version: T): number;
}
