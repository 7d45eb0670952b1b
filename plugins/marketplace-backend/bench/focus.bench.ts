/* eslint-disable no-console */
// Figures of the FOCUS cost import: `yarn bench:focus` (or `./scripts/bench.sh focus`) from the
// repository root. Writes a generated FOCUS export (20 apps, three months, every 10th row
// without the app tag, half of those with a cost center tag, every 997th row malformed) to a temporary file, then times parseFocusCsv over a
// file stream and samples the peak RSS and heap (process.memoryUsage, every 5 ms).
//
// Knobs: BENCH_FOCUS_ROWS (100000; e.g. 100000,1000000). Targets for 100,000 rows: < 5 s and
// < 300 MB peak RSS. Benchmarks measure; they never fail on a figure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseFocusCsv } from '../src/cost/focus/parseFocusCsv';
import {
  chunked,
  emptyExpectation,
  generateFocusLines,
} from '../src/__testUtils__/focusCsv';
import { envNumbers } from './benchUtils';

const MB = 1024 * 1024;

async function writeFile(file: string, rows: number) {
  const expected = emptyExpectation();
  const out = fs.createWriteStream(file);
  for (const chunk of chunked(
    generateFocusLines(rows, expected, { errorEvery: 997 }),
  )) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return expected;
}

async function main() {
  const sizes = envNumbers('BENCH_FOCUS_ROWS', [100_000]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'focus-bench-'));
  try {
    for (const rows of sizes) {
      const file = path.join(dir, `focus-${rows}.csv`);
      const expected = await writeFile(file, rows);
      const size = fs.statSync(file).size;
      (global as any).gc?.();
      const base = process.memoryUsage();
      let peakRss = base.rss;
      let peakHeap = base.heapUsed;
      const sample = () => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      };
      const timer = setInterval(sample, 5);
      const start = process.hrtime.bigint();
      const result = await parseFocusCsv(fs.createReadStream(file));
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      clearInterval(timer);
      sample();
      const ok =
        result.rows === rows &&
        result.allocatedRows === expected.allocatedRows &&
        result.costCenterRows === expected.costCenterRows &&
        result.unallocatedRows === expected.unallocatedRows &&
        result.errorCount === expected.errorLines.length;
      const target = rows <= 100_000 ? ' (target < 5000 ms, < 300 MB RSS)' : '';
      console.log(
        `parse ${rows.toLocaleString('en-US')} rows (${(size / MB).toFixed(
          1,
        )} MB): ${ms.toFixed(0)} ms, ${Math.round(
          rows / (ms / 1000),
        ).toLocaleString('en-US')} rows/s; peak RSS ${(peakRss / MB).toFixed(
          0,
        )} MB (+${((peakRss - base.rss) / MB).toFixed(0)}), peak heap ${(
          peakHeap / MB
        ).toFixed(0)} MB (+${((peakHeap - base.heapUsed) / MB).toFixed(
          0,
        )})${target}`,
      );
      console.log(
        `  ${result.allocatedRows} allocated, ${
          result.costCenterRows
        } to cost centers, ${result.unallocatedRows} unallocated, ${
          result.errorCount
        } errors; ${
          ok ? 'counts as generated' : 'COUNTS DIFFER FROM THE GENERATOR'
        }`,
      );
      fs.rmSync(file);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
