/* eslint-disable no-console */
import { note } from '../benchUtils';
import { BASE_LOCATIONS, freePort } from '../backendParts';
import { writeGatedFiles } from './appFiles';
import { MemorySampler, readMemory, startBackendChild } from './backendChild';
import { waitForCatalog } from './waitForCatalog';

const fmt = (n: number) => n.toLocaleString('en-US');
const mb = (bytes: number) => MemorySampler.mb(bytes).toFixed(0);

/**
 * A fresh backend (empty databases) whose catalog processes `apps` MicroApps with SBOMs, so
 * every gate runs, while the driver samples its memory; VmHWM is the process's own peak.
 */
export async function runMemoryPhase(options: {
  apps: number;
  prefix: string;
  dir: string;
  timeoutMs: number;
  targetMb: number;
}) {
  const files = writeGatedFiles(options.dir, options.apps);
  note(
    `${fmt(options.apps)} MicroApps in ${
      files.length
    } files: a quarter without SBOM, the rest with CycloneDX SBOMs of examples/sboms (one in fifty Juice Shop's)`,
  );
  const backend = await startBackendChild({
    prefix: options.prefix,
    port: await freePort(),
    locations: [...BASE_LOCATIONS, ...files],
  });
  try {
    const atStart = readMemory(backend.pid);
    note(
      `backend pid ${backend.pid}: RSS ${mb(
        atStart?.rss ?? 0,
      )} MB when it started listening`,
    );
    const processed = await waitForCatalog(backend, {
      apps: options.apps,
      timeoutMs: options.timeoutMs,
      onProgress: () => `peak RSS ${mb(backend.memory.peakRss)} MB`,
    });
    backend.memory.sample();
    const hwmMb = MemorySampler.mb(backend.memory.hwm);
    console.log(
      `  processing: ${fmt(processed.processed)} MicroApps with gates in ${(
        processed.ms / 1000
      ).toFixed(1)} s (${(processed.ms / Math.max(1, options.apps)).toFixed(
        1,
      )} s per 1,000 apps)${processed.complete ? '' : ' — NOT COMPLETE'}`,
    );
    console.log(
      `  backend peak memory: VmHWM ${hwmMb.toFixed(
        0,
      )} MB, highest sampled RSS ${mb(backend.memory.peakRss)} MB (${
        backend.memory.samples
      } samples)   (target < ${options.targetMb} MB: ${
        hwmMb < options.targetMb ? 'met' : 'MISSED'
      })`,
    );
  } finally {
    await backend.stop();
  }
}
