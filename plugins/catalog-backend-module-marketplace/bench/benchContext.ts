/* eslint-disable no-console */
import { ConfigReader } from '@backstage/config';
import type { GateContext } from '@microapps/plugin-marketplace-node';

const noop = () => {};
const silentLogger: any = {
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
  child: () => silentLogger,
};

/** A gate context whose cache never hits, so every run does the full work. */
export function benchContext(config: object = {}): GateContext {
  return {
    logger: silentLogger,
    config: new ConfigReader(config),
    signal: new AbortController().signal,
    cache: { get: async () => undefined, set: async () => {} },
    reader: {
      readFile: async () => {
        throw new Error('not used');
      },
      readTree: async () => {
        throw new Error('not used');
      },
    },
  };
}

/** Runs fn repeatedly and returns the median time in milliseconds. */
export async function median(
  runs: number,
  fn: () => Promise<unknown>,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function report(
  name: string,
  value: number,
  unit: string,
  target?: string,
) {
  const shown = value >= 100 ? value.toFixed(0) : value.toPrecision(3);
  console.log(
    `${name.padEnd(64)} ${shown.padStart(9)} ${unit}${
      target ? `   (target ${target})` : ''
    }`,
  );
}
