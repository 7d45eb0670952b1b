import { setTimeout as sleep } from 'node:timers/promises';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** The longest wait an action accepts, in seconds. */
export const MAX_WAIT_SECONDS = 600;

/**
 * Polls the catalog until it holds the entity, as the user sees it: a location registered a
 * moment ago needs the catalog's next processing pass. True when it is there, false when
 * `waitSeconds` passed first.
 */
export async function waitForEntity(options: {
  catalog: CatalogService;
  entityRef: string;
  credentials: BackstageCredentials;
  waitSeconds: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
}): Promise<boolean> {
  const { catalog, entityRef, credentials, pollIntervalMs, signal } = options;
  const waitSeconds = Math.min(
    Math.max(options.waitSeconds, 0),
    MAX_WAIT_SECONDS,
  );
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    if (await catalog.getEntityByRef(entityRef, { credentials })) return true;
    if (Date.now() + pollIntervalMs > deadline) return false;
    await sleep(pollIntervalMs, undefined, { signal });
  }
}
