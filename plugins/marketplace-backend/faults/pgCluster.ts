import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './faultUtils';

const BIN = process.env.FAULTS_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** How pg_ctl stops the server: `fast` rolls sessions back, `immediate` is a crash. */
export type StopMode = 'fast' | 'immediate';

/**
 * A PostgreSQL cluster of our own, in a temporary folder, on a free port: the faults stop and
 * crash it, which must never happen to the machine's server others test against. As root,
 * every server command runs as the `postgres` user, which owns the folder.
 */
export class PgCluster {
  private running = false;

  private constructor(readonly dir: string, readonly port: number) {}

  static async create(): Promise<PgCluster> {
    // scripts/faults.sh passes a folder it cleans up, whatever happens to this process
    const dir = fs.mkdtempSync(
      path.join(process.env.FAULTS_TMPDIR ?? os.tmpdir(), 'mp-faults-pg-'),
    );
    const cluster = new PgCluster(dir, await freePort());
    if (process.getuid?.() === 0) {
      const id = (flag: string) =>
        Number(execFileSync('id', [flag, 'postgres']).toString());
      fs.chownSync(dir, id('-u'), id('-g'));
    }
    await cluster.asPostgres(`${BIN}/initdb`, [
      '-D',
      cluster.dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
    ]);
    await cluster.start();
    return cluster;
  }

  get dataDir() {
    return path.join(this.dir, 'data');
  }

  /** The connection string of the superuser, to the database `database`. */
  url(database = 'postgres') {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server and waits until it accepts connections; returns the time it took. */
  async start(): Promise<number> {
    const began = Date.now();
    await this.pgCtl([
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=300`,
      '-l',
      path.join(this.dir, 'server.log'),
      '-w',
      'start',
    ]);
    this.running = true;
    return Date.now() - began;
  }

  async stop(mode: StopMode): Promise<number> {
    const began = Date.now();
    await this.pgCtl(['-m', mode, '-w', 'stop']);
    this.running = false;
    return Date.now() - began;
  }

  /** Stops the server the given way and starts it again; returns the time it was down. */
  async restart(mode: StopMode): Promise<number> {
    const began = Date.now();
    await this.stop(mode);
    await this.start();
    return Date.now() - began;
  }

  /** Stops the server (as a crash: nothing is worth keeping) and removes its folder. */
  async destroy(): Promise<void> {
    if (this.running) {
      try {
        await this.stop('immediate');
      } catch {
        // already gone; the folder goes anyway
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private pgCtl(args: string[]) {
    return this.asPostgres(`${BIN}/pg_ctl`, ['-D', this.dataDir, ...args]);
  }

  // asynchronous: the backend under test shares this process and must keep running
  private async asPostgres(command: string, args: string[]) {
    const asRoot = process.getuid?.() === 0;
    await promisify(execFile)(
      asRoot ? 'runuser' : command,
      asRoot ? ['-u', 'postgres', '--', command, ...args] : args,
      { cwd: this.dir },
    );
  }
}
