import { LineCounter, parseDocument, type Document } from 'yaml';
import type { ZodIssue } from 'zod';
import { compilePolicyExpression } from './celProgram';
import { BOUND_KEYS } from '../../bounds/keys';
import { policyPackSchema } from './packSchema';
import {
  DEFAULT_POLICY_PACK_LIMITS,
  packTooLargeMessage,
  type PolicyPackLimits,
} from './policyPackLimits';
import type {
  LoadedPolicyPacks,
  PolicyPack,
  PolicyProblem,
  PolicyRule,
} from './types';
import { locateYamlOffset, locateYamlPath } from './yamlLocation';

/** Reserved for the OPA adapter, whose gates are `policy:opa/<package path>`. */
const RESERVED_PACK_NAMES = ['opa'];

type Path = Array<string | number>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatPath(path: Path): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text ? `${text}.${part}` : part;
  }, '');
}

/** The parsed file plus what locates and labels its problems. */
class PackFile {
  readonly problems: PolicyProblem[] = [];
  packName?: string;
  raw: unknown;
  rawRules: unknown[] = [];

  constructor(
    readonly path: string,
    readonly doc: Document,
    readonly lineCounter: LineCounter,
  ) {}

  ruleId(index: number): string | undefined {
    const rule = this.rawRules[index];
    const id = isRecord(rule) ? rule.id : undefined;
    return typeof id === 'string' && id ? id : undefined;
  }

  add(options: {
    path: Path;
    key?: string;
    message: string;
    extra?: Partial<PolicyProblem>;
  }) {
    const { path, key, message, extra } = options;
    const position = locateYamlPath({
      doc: this.doc,
      lineCounter: this.lineCounter,
      path,
      key,
    });
    this.problems.push({
      file: this.path,
      ...(this.packName !== undefined && { pack: this.packName }),
      ...(path[0] === 'rules' &&
        typeof path[1] === 'number' &&
        this.ruleId(path[1]) !== undefined && { rule: this.ruleId(path[1]) }),
      line: position.line,
      column: position.column,
      message,
      ...extra,
    });
  }

  valueAt(path: Path): unknown {
    return path.reduce<unknown>(
      (value, part) =>
        isRecord(value) || Array.isArray(value)
          ? (value as Record<string | number, unknown>)[part]
          : undefined,
      this.raw,
    );
  }

  addIssue(issue: ZodIssue) {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        this.add({
          path,
          key,
          message: `${formatPath([...path, key])}: unknown field`,
        });
      }
    } else if (this.valueAt(path) === undefined) {
      this.add({
        path: path.slice(0, -1),
        message: `${formatPath(path)}: required field is missing`,
      });
    } else {
      this.add({
        path,
        message: `${formatPath(path) || 'pack'}: ${issue.message}`,
      });
    }
  }
}

function parsePackFile(file: { path: string; content: string }): {
  packFile: PackFile;
  raw?: unknown;
} {
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.content, { lineCounter, prettyErrors: false });
  const packFile = new PackFile(file.path, doc, lineCounter);
  for (const error of doc.errors) {
    const position = locateYamlOffset({ lineCounter, offset: error.pos[0] });
    packFile.problems.push({
      file: file.path,
      ...position,
      message:
        error.code === 'MULTIPLE_DOCS'
          ? 'a policy pack file holds exactly one YAML document'
          : `YAML: ${error.message}`,
    });
  }
  if (packFile.problems.length) return { packFile };
  try {
    return { packFile, raw: doc.toJS() };
  } catch (error) {
    // e.g. an alias to an anchor that does not exist, or too many aliases
    packFile.problems.push({
      file: file.path,
      line: 1,
      column: 1,
      message: `YAML: ${(error as Error).message}`,
    });
    return { packFile };
  }
}

function compileRules(
  packFile: PackFile,
  maxExpressionLength: number,
): Map<number, PolicyRule['program']> {
  const programs = new Map<number, PolicyRule['program']>();
  const firstIndexOfId = new Map<string, number>();
  packFile.rawRules.forEach((rawRule, index) => {
    if (!isRecord(rawRule)) return;
    if (typeof rawRule.id === 'string') {
      const first = firstIndexOfId.get(rawRule.id);
      if (first === undefined) {
        firstIndexOfId.set(rawRule.id, index);
      } else {
        const at = locateYamlPath({
          doc: packFile.doc,
          lineCounter: packFile.lineCounter,
          path: ['rules', first, 'id'],
        });
        packFile.add({
          path: ['rules', index, 'id'],
          message: `duplicate rule id '${rawRule.id}' (first used at line ${at.line})`,
        });
      }
    }
    const expr = rawRule.expr;
    if (typeof expr !== 'string' || !expr.trim()) return;
    // without an id, the path says which rule
    const named = (message: string) =>
      packFile.ruleId(index) ? message : `rules[${index}].expr: ${message}`;
    if (expr.length > maxExpressionLength) {
      packFile.add({
        path: ['rules', index, 'expr'],
        message: named(
          `the expression is ${expr.length} characters long, more than the limit of ${maxExpressionLength} (${BOUND_KEYS.policy}.maxExpressionLength); it was not compiled`,
        ),
      });
      return;
    }
    const compiled = compilePolicyExpression({ expr });
    if ('program' in compiled) {
      programs.set(index, compiled.program);
    } else {
      const { message, ...exprPosition } = compiled.problem;
      packFile.add({
        path: ['rules', index, 'expr'],
        message: named(message),
        extra: exprPosition,
      });
    }
  });
  return programs;
}

/**
 * Loads policy pack files, returning the packs that are sound and the problems of the others.
 * A file over `limits.maxPackBytes` is not parsed, a pack over `maxRules` is not validated
 * further and an expression over `maxExpressionLength` is not compiled: each is a problem
 * naming the limit and its key, and the pack does not load.
 *
 * @public
 */
export function loadPolicyPacks(options: {
  files: Array<{ path: string; content: string }>;
  /** Defaults to {@link DEFAULT_POLICY_PACK_LIMITS}. */
  limits?: Partial<PolicyPackLimits>;
}): LoadedPolicyPacks {
  // Never throws for a bad file: a file with any problem loads no rule (a half-loaded pack
  // would silently weaken the policy) and its problems go back for a failing gate to show.
  const limits = { ...DEFAULT_POLICY_PACK_LIMITS, ...options.limits };
  const packs: PolicyPack[] = [];
  const problems: PolicyProblem[] = [];
  const fileOfPack = new Map<string, string>();

  for (const file of options.files) {
    const bytes = Buffer.byteLength(file.content, 'utf8');
    if (bytes > limits.maxPackBytes) {
      problems.push({
        file: file.path,
        message: packTooLargeMessage({
          bytes,
          maxPackBytes: limits.maxPackBytes,
        }),
      });
      continue;
    }
    const { packFile, raw } = parsePackFile(file);
    if (packFile.problems.length) {
      problems.push(...packFile.problems);
      continue;
    }
    if (!isRecord(raw)) {
      packFile.add({
        path: [],
        message:
          'a policy pack is a YAML mapping with apiVersion, kind, metadata and rules',
      });
      problems.push(...packFile.problems);
      continue;
    }
    packFile.raw = raw;
    if (isRecord(raw.metadata) && typeof raw.metadata.name === 'string') {
      packFile.packName = raw.metadata.name;
    }
    if (Array.isArray(raw.rules)) packFile.rawRules = raw.rules;
    if (packFile.rawRules.length > limits.maxRules) {
      packFile.add({
        path: ['rules'],
        message: `the pack has ${packFile.rawRules.length} rules, more than the limit of ${limits.maxRules} (${BOUND_KEYS.policy}.maxRules); none was compiled`,
      });
      problems.push(...packFile.problems);
      continue;
    }

    const parsed = policyPackSchema.safeParse(raw);
    if (!parsed.success)
      parsed.error.issues.forEach(issue => packFile.addIssue(issue));
    const programs = compileRules(packFile, limits.maxExpressionLength);

    const name = packFile.packName;
    if (name !== undefined && RESERVED_PACK_NAMES.includes(name)) {
      packFile.add({
        path: ['metadata', 'name'],
        message: `the pack name '${name}' is reserved for the OPA adapter`,
      });
    } else if (name !== undefined && fileOfPack.has(name)) {
      packFile.add({
        path: ['metadata', 'name'],
        message: `duplicate pack name '${name}' (already used by ${fileOfPack.get(
          name,
        )})`,
      });
    } else if (name !== undefined) {
      fileOfPack.set(name, file.path);
    }

    if (packFile.problems.length || !parsed.success) {
      problems.push(
        ...packFile.problems.sort(
          (a, b) => a.line! - b.line! || a.column! - b.column!,
        ),
      );
      continue;
    }
    const { metadata, rules } = parsed.data;
    packs.push({
      name: metadata.name,
      ...(metadata.description !== undefined && {
        description: metadata.description,
      }),
      file: file.path,
      rules: rules.map((rule, index) => ({
        ...rule,
        enforcement: rule.enforcement ?? {},
        program: programs.get(index)!,
      })),
    });
  }
  return { packs, problems };
}
