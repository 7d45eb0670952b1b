/* eslint-disable no-console */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

// one helper for the benches' backends and the faults' servers alike
export { freePort } from '../bench/backendParts';

/** Polls until `probe` returns a value; a probe that throws counts as not yet. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 120_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what}${lastError ? `: ${lastError}` : ''}`,
      );
    }
    await sleep(everyMs);
  }
}

let failures = 0;

/** One checked property of a fault: printed, and counted when it does not hold. */
export function check(what: string, ok: boolean, detail?: unknown) {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) {
    failures += 1;
    if (detail !== undefined) {
      console.log(`       ${JSON.stringify(detail).slice(0, 2000)}`);
    }
  }
}

/** A figure of the run, one per line, so runs can be compared. */
export function figure(name: string, value: number | string) {
  console.log(`  ${name}: ${value}`);
}

let poolNoise = 0;

/**
 * knex prints every failed connection of its pools to the console, with a stack: dozens per
 * outage. They are expected while the server is down; the run counts them instead.
 */
function quietPoolErrors() {
  const log = console.log;
  const noise = /(Connection Error|Acquire connection error): /;
  console.log = (...args: unknown[]) => {
    if (noise.test(String(args[0]))) {
      poolNoise += 1;
      return;
    }
    log(...args);
  };
}

/** Runs a fault script: its figures and checks, its total time, exit 1 if a check failed. */
export async function runFaults(
  title: string,
  body: () => Promise<void>,
): Promise<void> {
  const began = Date.now();
  console.log(`== ${title}`);
  quietPoolErrors();
  // Node ends a production backend on either: an outage must cause neither
  for (const event of ['unhandledRejection', 'uncaughtException'] as const) {
    process.on(event, (error: unknown) =>
      check(`no ${event} (it would end the backend)`, false, String(error)),
    );
  }
  try {
    await body();
  } catch (error) {
    failures += 1;
    console.log(`  FAIL ${error instanceof Error ? error.stack : error}`);
  }
  if (poolNoise)
    figure('connection errors logged by knex (not shown)', poolNoise);
  console.log(
    `== ${title}: ${failures ? `${failures} FAILED` : 'all checks held'} in ${(
      (Date.now() - began) /
      1000
    ).toFixed(1)} s`,
  );
  // the backend's pools and timers would keep the process alive
  process.exit(failures ? 1 : 0);
}

/** Runs `cleanup` (e.g. removing the private cluster) when the run is interrupted. */
export function cleanupOnSignal(cleanup: () => Promise<void>) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup().finally(() => process.exit(130));
    });
  }
}

/** A temporary folder, in the one scripts/faults.sh removes whatever happens to the run. */
export function faultTmpDir(prefix: string): string {
  return fs.mkdtempSync(
    path.join(process.env.FAULTS_TMPDIR ?? os.tmpdir(), prefix),
  );
}
