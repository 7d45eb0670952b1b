import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { BackendMessage, BackendOptions } from './backendProcess';

const MB = 1024 * 1024;

/** VmRSS and VmHWM (peak resident set) of a process, in bytes; undefined once it is gone. */
export function readMemory(pid: number) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) *
      1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Samples a process's memory every second, keeping the peaks. */
export class MemorySampler {
  peakRss = 0;
  hwm = 0;
  samples = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly pid: number) {}

  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
    return this;
  }

  sample() {
    const m = readMemory(this.pid);
    if (!m) return;
    this.samples++;
    this.peakRss = Math.max(this.peakRss, m.rss);
    this.hwm = Math.max(this.hwm, m.hwm);
  }

  /** Restarts the peaks (VmHWM cannot be reset: it stays the process's lifetime peak). */
  resetPeak() {
    this.peakRss = readMemory(this.pid)?.rss ?? 0;
  }

  stop() {
    clearInterval(this.timer);
    this.sample();
  }

  static mb(bytes: number) {
    return bytes / MB;
  }
}

/** Every child still running, so an exit path can kill them. */
const running = new Set<ChildProcess>();

export function killRunningBackends() {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface BackendChild {
  pid: number;
  baseUrl: string;
  memory: MemorySampler;
  /** A request as a signed-in user (`user:default/<user>`): status, body and time in ms. */
  request(
    user: string,
    url: string,
    init?: { method?: string; body?: object },
  ): Promise<{ status: number; body: any; ms: number }>;
  stop(): Promise<void>;
}

export const authHeader = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

/** Forks backendProcess.ts and resolves once it listens. */
export async function startBackendChild(
  options: BackendOptions,
): Promise<BackendChild> {
  const child = fork(path.join(__dirname, 'backendProcess.ts'), [], {
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    env: { ...process.env, BENCH_LOAD_BACKEND: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  running.add(child);
  const exited = new Promise<void>(resolve => child.once('exit', resolve));
  exited.then(() => running.delete(child));

  const ready = await new Promise<{ pid: number; port: number }>(
    (resolve, reject) => {
      child.on('message', (m: BackendMessage) => {
        if (m.type === 'ready') resolve(m);
        if (m.type === 'failed')
          reject(new Error(`backend failed to start: ${m.error}`));
      });
      child.once('exit', code =>
        reject(new Error(`backend exited with ${code} before it was ready`)),
      );
    },
  );
  const baseUrl = `http://127.0.0.1:${ready.port}`;
  const memory = new MemorySampler(ready.pid).start();

  return {
    pid: ready.pid,
    baseUrl,
    memory,
    async request(user, url, init = {}) {
      const start = process.hrtime.bigint();
      const response = await fetch(`${baseUrl}${url}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: authHeader(user),
          ...(init.body && { 'content-type': 'application/json' }),
        },
        body: init.body && JSON.stringify(init.body),
      });
      const text = await response.text();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text for the message
      }
      return { status: response.status, body, ms };
    },
    async stop() {
      memory.stop();
      if (child.exitCode === null) {
        child.send({ type: 'stop' });
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}
