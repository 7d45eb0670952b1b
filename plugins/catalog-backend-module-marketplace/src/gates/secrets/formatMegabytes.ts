/**
 * A byte count in megabytes with one decimal, e.g. `0.3 MB`.
 *
 * @internal
 */
export function formatMegabytes(options: { bytes: number }): string {
  return `${(options.bytes / 1_000_000).toFixed(1)} MB`;
}
