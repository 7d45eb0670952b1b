/* eslint-disable no-console */
// Writes the spec reference table, rendered from the kind's JSON Schema, into README.md.
// Node 22 strips the TypeScript types of the two imported files.
import fs from 'node:fs';
import { microAppSpecSchema } from '../src/schema/microAppSchema.ts';
import { renderSpecReference } from '../src/schema/specReference.ts';

const file = new URL('../README.md', import.meta.url);
const readme = fs.readFileSync(file, 'utf8');
const [before, rest] = readme.split('<!-- spec-reference:start -->');
const [, after] = rest.split('<!-- spec-reference:end -->');
const table = renderSpecReference(microAppSpecSchema);
fs.writeFileSync(
  file,
  `${before}<!-- spec-reference:start -->\n\n${table}\n\n<!-- spec-reference:end -->${after}`,
);
console.log('README.md spec reference updated');
