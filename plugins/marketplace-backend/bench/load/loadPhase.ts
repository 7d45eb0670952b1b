/* eslint-disable no-console */
import autocannon from 'autocannon';
import { percentile } from '../benchUtils';

/** One request of a phase; `next()` hands out a new one for every request sent. */
export interface PhaseRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PhaseResult {
  name: string;
  responses: number;
  /** Requests sent but neither answered nor failed when the phase ended (autocannon drops them). */
  unfinished: number;
  /** Count per HTTP status. */
  statuses: Record<number, number>;
  non2xx: number;
  /** Socket errors, timeouts included (autocannon counts a timeout as an error too). */
  errors: number;
  timeouts: number;
  /** Time to each response, any status, in ms (autocannon keeps only 2xx latencies). */
  latencies: number[];
  seconds: number;
}

/**
 * Runs autocannon against the backend for `duration` seconds or until `amount` responses,
 * each connection taking its next request from `next()` so that concurrent clients never
 * send the same one unless `next` says so.
 */
export async function runPhase(options: {
  name: string;
  baseUrl: string;
  connections: number;
  duration?: number;
  amount?: number;
  next: () => PhaseRequest;
}): Promise<PhaseResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let sent = 0;
  const started = process.hrtime.bigint();
  let finish: (err: Error | null, result: autocannon.Result) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (err, result) => (err ? reject(err) : resolve(result));
  });
  const instance = autocannon(
    {
      url: options.baseUrl,
      connections: options.connections,
      pipelining: 1,
      timeout: 30,
      ...(options.amount
        ? { amount: options.amount }
        : { duration: options.duration }),
      requests: [
        {
          setupRequest: (request: any) => {
            sent++;
            return { ...request, ...options.next() };
          },
        },
      ],
    },
    (err, result) => finish(err, result),
  );
  // autocannon 8 emits (client, status, bytes, ms); its typings still describe version 7
  (instance as any).on(
    'response',
    (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    },
  );
  const result = await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    name: options.name,
    responses: latencies.length,
    unfinished: Math.max(0, sent - latencies.length - result.errors),
    statuses,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencies,
    seconds,
  };
}

const ms = (value: number) =>
  Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a';

/** p50, p95, p99, throughput and errors of a phase, the targets beside them. */
export function reportPhase(
  r: PhaseResult,
  targets: { p95Ms?: number; errors?: number } = {},
) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  const errors = r.non2xx + r.errors;
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(`  ${r.name}`);
  console.log(
    `    latency p50 ${ms(percentile(sorted, 50))}, p95 ${ms(p95)}, p99 ${ms(
      percentile(sorted, 99),
    )}, max ${ms(sorted[sorted.length - 1])}${
      targets.p95Ms !== undefined
        ? `   (target p95 < ${targets.p95Ms} ms: ${mark(p95 < targets.p95Ms)})`
        : ''
    }`,
  );
  console.log(
    `    throughput ${(r.responses / r.seconds).toFixed(1)} req/s (${
      r.responses
    } responses in ${r.seconds.toFixed(1)} s; ${
      r.unfinished
    } still in flight when it ended, not counted)`,
  );
  console.log(
    `    errors ${errors}: ${r.non2xx} non-2xx, ${r.errors} socket errors (${
      r.timeouts
    } timeouts)${
      targets.errors !== undefined
        ? `   (target ${targets.errors}: ${mark(errors <= targets.errors)})`
        : ''
    }`,
  );
  console.log(
    `    status codes: ${Object.entries(r.statuses)
      .map(([status, n]) => `${status} x${n}`)
      .join(', ')}`,
  );
  return { p95, errors };
}
