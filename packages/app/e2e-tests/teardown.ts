import fs from 'node:fs';
import os from 'node:os';

/** Removes the run's SQLite folder, unless E2E_KEEP_DATA is set (to look at what it stored). */
export default async function teardown() {
  const dir = process.env.E2E_DATA_DIR;
  if (dir && dir.startsWith(os.tmpdir()) && !process.env.E2E_KEEP_DATA) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
