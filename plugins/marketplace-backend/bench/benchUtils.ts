/* eslint-disable no-console */
import crypto from 'node:crypto';
import os from 'node:os';
import knexFactory, { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';

/** PostgreSQL of the bench (user postgres, trust auth in the dev container). */
export const PG_URL =
  process.env.BENCH_PG_URL ??
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

/** A number from the environment, or the default. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number, got '${raw}'`);
  }
  return value;
}

/** A comma-separated list of numbers from the environment, or the default. */
export function envNumbers(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  return raw.split(',').map(part => {
    const value = Number(part.trim().replace(/_/g, ''));
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`${name} must list positive integers, got '${raw}'`);
    }
    return value;
  });
}

/** The machine a run is on, for a bench's title line: runs are compared by it. */
export function machineLine(): string {
  const load = os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ');
  return `Node ${process.version}, ${
    os.cpus().length
  } cores, load average ${load}, ${new Date().toISOString()}`;
}

export const noop = () => {};

/** A logger that says nothing. */
export const silentLogger: any = {
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
  child: () => silentLogger,
};

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Times one call in milliseconds. */
export async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: elapsedMs(start), value };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1],
  };
}

function show(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** One figure per line: name, value, unit and (when there is one) its target. */
export function report(
  name: string,
  value: number,
  unit: string,
  target?: string,
) {
  console.log(
    `${name.padEnd(66)} ${show(value).padStart(9)} ${unit}${
      target ? `   (target ${target})` : ''
    }`,
  );
}

/** p50, p95 and max of latency samples, one line. */
export function reportLatency(
  name: string,
  samples: number[],
  target?: string,
) {
  const s = summarize(samples);
  console.log(
    `${name.padEnd(52)} p50 ${show(s.p50).padStart(7)} ms  p95 ${show(
      s.p95,
    ).padStart(7)} ms  max ${show(s.max).padStart(7)} ms  (n=${s.n})${
      target ? `   (target ${target})` : ''
    }`,
  );
}

export function note(text: string) {
  console.log(`  ${text}`);
}

/** A knex-backed DatabaseService for code that wants the plugin's database. */
export function databaseServiceOf(knex: Knex): DatabaseService {
  return { getClient: async () => knex, migrations: { skip: false } };
}

/** A database of its own for one part of the bench, on PostgreSQL or SQLite. */
export interface BenchDatabase {
  label: string;
  knex: Knex;
  /** Destroys the pool and drops the database (PostgreSQL) or deletes the file. */
  drop(): Promise<void>;
}

export function randomSuffix() {
  return crypto.randomBytes(4).toString('hex');
}

/** The connection string of another database on the bench's server. */
export function pgUrlOf(database: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates PostgreSQL database `name` and opens a pool of up to `poolMax` on it; `replace`
 * drops one of that name first (a kept name, reused from run to run).
 */
export async function openNewPgDatabase(
  name: string,
  options: { poolMax: number; replace?: boolean },
): Promise<Knex> {
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  try {
    if (options.replace) {
      await admin.raw(`drop database if exists "${name}" with (force)`);
    }
    await admin.raw(`create database "${name}"`);
  } finally {
    await admin.destroy();
  }
  return knexFactory({
    client: 'pg',
    connection: pgUrlOf(name),
    pool: { min: 0, max: options.poolMax },
  });
}

/** Creates a fresh PostgreSQL database, dropped by `drop()`. */
export async function createPgDatabase(tag: string): Promise<BenchDatabase> {
  const name = `mpbench_${tag}_${randomSuffix()}`;
  const knex = await openNewPgDatabase(name, { poolMax: 10 });
  return {
    label: 'PostgreSQL',
    knex,
    async drop() {
      await knex.destroy();
      await dropPgDatabases(name);
    },
  };
}

/** Drops every database whose name starts with `prefix` (or equals it). */
export async function dropPgDatabases(prefix: string) {
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  try {
    const { rows } = await admin.raw(
      'select datname from pg_database where datname = ? or datname like ?',
      [prefix, `${prefix.replace(/_/g, '\\_')}%`],
    );
    for (const { datname } of rows) {
      // a pool may still hold a connection for a moment after it was destroyed
      await admin.raw(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await admin.destroy();
  }
}

/** A fresh SQLite database in a file (what a small install runs on). */
export async function createSqliteDatabase(
  file: string,
): Promise<BenchDatabase> {
  const fs = await import('node:fs');
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  return {
    label: 'SQLite (file)',
    knex,
    async drop() {
      await knex.destroy();
      for (const suffix of ['', '-wal', '-shm', '-journal']) {
        fs.rmSync(`${file}${suffix}`, { force: true });
      }
    },
  };
}

/** Inserts rows in chunks inside one transaction. */
export async function bulkInsert(
  knex: Knex | Knex.Transaction,
  table: string,
  rows: object[],
  chunk = 500,
) {
  for (let i = 0; i < rows.length; i += chunk) {
    await knex(table).insert(rows.slice(i, i + chunk));
  }
}

/** Fisher-Yates shuffle with a seeded generator, so runs are comparable. */
export function seededRandom(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
