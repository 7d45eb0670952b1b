import {
  LABEL_GATE_STATUS,
  LABEL_TIER,
} from '@microapps/plugin-marketplace-common';
import { note } from '../benchUtils';
import type { BackendChild } from './backendChild';

const fmt = (n: number) => n.toLocaleString('en-US');

/** MicroApps of the catalog matching `filter`, counted as the admin (who sees them all). */
async function count(backend: BackendChild, filter: string): Promise<number> {
  const res = await backend.request(
    'ada',
    `/api/catalog/entities/by-query?filter=${encodeURIComponent(
      `kind=microapp${filter}`,
    )}&limit=1`,
  );
  if (res.status !== 200) {
    throw new Error(`catalog count: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return Number(res.body.totalItems ?? 0);
}

/**
 * Waits until the catalog processed `apps` MicroApps with their gates (the gate status label
 * is set) and, when given, labelled each tier with the expected number of apps.
 */
export async function waitForCatalog(
  backend: BackendChild,
  options: {
    apps: number;
    tiers?: Record<string, number>;
    timeoutMs: number;
    onProgress?: () => string;
  },
): Promise<{ ms: number; processed: number; complete: boolean }> {
  const start = Date.now();
  let lastNote = start;
  for (;;) {
    const processed = await count(
      backend,
      `,metadata.labels.${LABEL_GATE_STATUS}`,
    );
    let tiersDone = processed >= options.apps;
    if (tiersDone && options.tiers) {
      for (const [tier, expected] of Object.entries(options.tiers)) {
        const n = await count(
          backend,
          `,metadata.labels.${LABEL_TIER}=${tier}`,
        );
        if (n !== expected) tiersDone = false;
      }
    }
    const ms = Date.now() - start;
    if (tiersDone) return { ms, processed, complete: true };
    if (ms > options.timeoutMs) return { ms, processed, complete: false };
    if (Date.now() - lastNote > 60_000) {
      lastNote = Date.now();
      note(
        `  ${fmt(processed)} of ${fmt(options.apps)} processed after ${(
          ms / 1000
        ).toFixed(0)} s${
          options.onProgress ? `; ${options.onProgress()}` : ''
        }`,
      );
    }
    await new Promise(r => setTimeout(r, 5000));
  }
}
