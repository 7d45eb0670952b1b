import { Document, isMap, isNode, isScalar, LineCounter } from 'yaml';

/**
 * A 1-based line and column in a YAML file.
 *
 * @internal
 */
export interface YamlPosition {
  line: number;
  column: number;
}

function positionAt(options: {
  lineCounter: LineCounter;
  offset: number;
}): YamlPosition {
  const { line, col } = options.lineCounter.linePos(options.offset);
  return { line, column: col };
}

/**
 * Where a path of the parsed document sits in the file, or its nearest existing ancestor.
 *
 * @internal
 */
export function locateYamlPath(options: {
  doc: Document;
  lineCounter: LineCounter;
  path: ReadonlyArray<string | number>;
  key?: string;
}): YamlPosition {
  // a missing field is reported at the mapping that should hold it; with `key`, an unknown
  // field at its key rather than at its mapping
  const { doc, lineCounter, key } = options;
  const path = [...options.path];
  for (;;) {
    const node = path.length ? doc.getIn(path, true) : doc.contents;
    if (isNode(node) && node.range) {
      if (key !== undefined && isMap(node)) {
        const pair = node.items.find(
          p => isScalar(p.key) && p.key.value === key,
        );
        if (isNode(pair?.key) && pair.key.range) {
          return positionAt({ lineCounter, offset: pair.key.range[0] });
        }
      }
      return positionAt({ lineCounter, offset: node.range[0] });
    }
    if (!path.length) return { line: 1, column: 1 };
    path.pop();
  }
}

/**
 * The position of a character offset, e.g. of a YAML parse error.
 *
 * @internal
 */
export function locateYamlOffset(options: {
  lineCounter: LineCounter;
  offset: number;
}): YamlPosition {
  return positionAt(options);
}
