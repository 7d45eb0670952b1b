/**
 * A cost center from `marketplace.cost.centers`.
 *
 * @public
 */
export type CostCenter = { id: string; name?: string };

/**
 * Reads `marketplace.cost.centers` (ids, or objects with an id and a display name) from a
 * backend `Config` or the frontend's `ConfigApi`. Undefined when the key is not set; an
 * entry without an id is an error that names it.
 *
 * @public
 */
export function readCostCenters(config: {
  getOptional<T>(key: string): T | undefined;
}): CostCenter[] | undefined {
  const centers = config.getOptional<unknown>('marketplace.cost.centers');
  if (centers === undefined) return undefined;
  if (!Array.isArray(centers)) {
    throw new Error('marketplace.cost.centers must be a list');
  }
  return centers.map((c, i) => {
    if (typeof c === 'string' && c) return { id: c };
    const { id, name } = (c ?? {}) as { id?: unknown; name?: unknown };
    if (typeof id !== 'string' || !id) {
      throw new Error(
        `marketplace.cost.centers[${i}] must be a string or have an id`,
      );
    }
    return typeof name === 'string' && name ? { id, name } : { id };
  });
}
