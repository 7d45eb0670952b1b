import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * The registry this machine's npm uses (`npm config get registry`), with a trailing slash:
 * lockfiles made up for tests and benchmarks point their `resolved` URLs there, rather than
 * at a registry written into the repository.
 */
export function npmRegistry(): string {
  // outside the monorepo: in a workspace npm refuses `config get` (ENOWORKSPACES)
  const url = execFileSync('npm', ['config', 'get', 'registry'], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
  }).trim();
  return url.endsWith('/') ? url : `${url}/`;
}
