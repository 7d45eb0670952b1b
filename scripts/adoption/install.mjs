#!/usr/bin/env node
// Applies the steps of docs/install.md to a Backstage app created by @backstage/create-app:
//   node scripts/adoption/install.mjs --app <dir> [--frontend nfs|legacy] [--no-backend]
// Every edit finds its place by an anchor in the generated file and fails, naming the file and
// the anchor, when the file has changed shape; nothing is written for a step that failed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { backendSteps, frontendSteps } from './steps.mjs';

const snippetsDir = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'snippets',
);

export function readSnippet(name) {
  return fs
    .readFileSync(path.join(snippetsDir, name), 'utf8')
    .replace(/\n$/, '');
}

const indentOf = line => line.match(/^\s*/)[0];
const indent = (text, prefix) =>
  text
    .split('\n')
    .map(l => (l ? prefix + l : l))
    .join('\n');

/** The text of `snippet` in `source`, matched line by line ignoring indentation. */
function findLines(source, snippet, file) {
  const lines = source.split('\n');
  const want = snippet.split('\n').map(l => l.trim());
  for (let i = 0; i + want.length <= lines.length; i++) {
    if (want.every((w, j) => lines[i + j].trim() === w)) {
      return { lines, start: i, end: i + want.length };
    }
  }
  throw new Error(`${file}: could not find\n${snippet}`);
}

function anchorLine(lines, anchor, file) {
  const i = lines.findIndex(l => l.includes(anchor));
  if (i < 0) throw new Error(`${file}: no line holds "${anchor}"`);
  return i;
}

/** Deep merge for app-config: maps key by key, lists appended, the snippet's styles kept. */
function mergeInto(node, add, pathSoFar) {
  if (YAML.isMap(node) && YAML.isMap(add)) {
    for (const pair of add.items) {
      const key = YAML.isScalar(pair.key) ? pair.key.value : pair.key;
      const child = node.get(key, true);
      if (child === undefined) node.items.push(pair);
      else mergeInto(child, pair.value, [...pathSoFar, key]);
    }
  } else if (YAML.isSeq(node) && YAML.isSeq(add)) {
    node.items.push(...add.items);
  } else {
    throw new Error(
      `cannot merge into ${pathSoFar.join('.')}: not a map or list in both`,
    );
  }
}

export function applyEdit(source, edit, file) {
  if (edit.remove) {
    const { lines, start, end } = findLines(
      source,
      readSnippet(edit.remove),
      file,
    );
    lines.splice(start, end - start);
    return lines.join('\n');
  }
  if (edit.replace) {
    const { lines, start, end } = findLines(
      source,
      readSnippet(edit.replace),
      file,
    );
    const replacement = indent(
      readSnippet(edit.snippet),
      indentOf(lines[start]),
    );
    lines.splice(start, end - start, replacement);
    return lines.join('\n');
  }
  if (edit.afterImports) {
    const lines = source.split('\n');
    const last = lines.findLastIndex(l =>
      /^(import .*|\} )from '[^']+';$/.test(l),
    );
    if (last < 0) throw new Error(`${file}: no import statement found`);
    lines.splice(last + 1, 0, readSnippet(edit.afterImports));
    return lines.join('\n');
  }
  if (edit.before || edit.after) {
    const lines = source.split('\n');
    const i = anchorLine(lines, edit.before ?? edit.after, file);
    const extra = ' '.repeat(edit.indent ?? 0);
    const text = indent(readSnippet(edit.snippet), indentOf(lines[i]) + extra);
    lines.splice(edit.before ? i : i + 1, 0, text);
    return lines.join('\n');
  }
  if (edit.insertInto) {
    const at = source.indexOf(edit.insertInto);
    if (at < 0) throw new Error(`${file}: no "${edit.insertInto}" found`);
    const end = at + edit.insertInto.length;
    return `${source.slice(0, end)}${readSnippet(edit.snippet)} ${source.slice(
      end,
    )}`;
  }
  if (edit.mergeYaml) {
    const doc = YAML.parseDocument(source);
    const add = YAML.parseDocument(readSnippet(edit.mergeYaml));
    mergeInto(doc.contents, add.contents, []);
    return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  }
  throw new Error(`unknown edit ${JSON.stringify(edit)}`);
}

export function applySteps(appDir, steps, log = console.log) {
  for (const step of steps) {
    if (step.run) {
      log(`==> ${step.run}: ${readSnippet(step.run).replace(/\\\n\s*/g, '')}`);
      execFileSync(
        'bash',
        ['-euo', 'pipefail', path.join(snippetsDir, step.run)],
        {
          cwd: appDir,
          stdio: 'inherit',
        },
      );
      continue;
    }
    if (step.write) {
      const file = path.join(appDir, step.write);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${readSnippet(step.snippet)}\n`);
      log(`==> wrote ${step.write}`);
      continue;
    }
    const file = path.join(appDir, step.file);
    let source = fs.readFileSync(file, 'utf8');
    for (const edit of step.edits) source = applyEdit(source, edit, step.file);
    fs.writeFileSync(file, source);
    log(`==> edited ${step.file} (${step.edits.length} changes)`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      frontend: { type: 'string', default: 'nfs' },
      'no-backend': { type: 'boolean', default: false },
    },
  });
  if (!values.app || !frontendSteps[values.frontend]) {
    console.error(
      'usage: install.mjs --app <dir> [--frontend nfs|legacy] [--no-backend]',
    );
    process.exit(2);
  }
  const appDir = path.resolve(values.app);
  try {
    if (!values['no-backend']) applySteps(appDir, backendSteps);
    applySteps(appDir, frontendSteps[values.frontend]);
  } catch (error) {
    console.error(`install failed: ${error.message}`);
    process.exit(1);
  }
}
