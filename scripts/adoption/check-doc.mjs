#!/usr/bin/env node
// docs/install.md shows each snippet the adoption test applies, under a marker
// `<!-- snippet: <file> -->` and a fenced block (after `<!-- prettier-ignore -->`, so that
// Prettier leaves the text as the file has it). This fails when a block differs from
// its file under scripts/adoption/snippets, or a snippet the steps use is not in the doc.
// `--fix` rewrites the blocks from the files.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { snippetNames } from './steps.mjs';
import { readSnippet } from './install.mjs';

const docPath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../docs/install.md',
);
const fix = process.argv.includes('--fix');
const doc = fs.readFileSync(docPath, 'utf8');
const marker =
  /<!-- snippet: ([\w.-]+) -->\n+(?:<!-- prettier-ignore -->\n+)?(```\w*\n)([\s\S]*?)\n```/g;

const problems = [];
const shown = new Set();
const fixed = doc.replace(marker, (whole, name, fence, body) => {
  shown.add(name);
  let want;
  try {
    want = readSnippet(name);
  } catch {
    problems.push(`docs/install.md shows ${name}, which is not a snippet file`);
    return whole;
  }
  if (body !== want)
    problems.push(
      `docs/install.md: the block of ${name} differs from the file`,
    );
  return `<!-- snippet: ${name} -->\n\n<!-- prettier-ignore -->\n${fence}${want}\n\`\`\``;
});
for (const name of snippetNames()) {
  if (!shown.has(name))
    problems.push(`docs/install.md does not show snippet ${name}`);
}

if (fix) {
  fs.writeFileSync(docPath, fixed);
  console.log(
    `docs/install.md: ${shown.size} snippet blocks written from their files`,
  );
  process.exit(problems.some(p => !p.includes('differs')) ? 1 : 0);
}
if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(
    '(node scripts/adoption/check-doc.mjs --fix rewrites the blocks)',
  );
  process.exit(1);
}
console.log(
  `ok: docs/install.md shows the ${shown.size} snippets the adoption test applies`,
);
