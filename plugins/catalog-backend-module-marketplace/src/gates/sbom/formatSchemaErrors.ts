import type { ErrorObject } from 'ajv';

// Errors of these keywords only say that a branch below failed; the branch's own are clearer.
const COMBINATORS = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'not']);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function decodePointer(pointer: string): string[] {
  return pointer
    ? pointer
        .split('/')
        .slice(1)
        .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    : [];
}

// Renders a JSON pointer as a JSON path (`$.components[3]["bom-ref"]`) and finds its value.
function resolve(document: unknown, segments: string[]) {
  let path = '$';
  let value: unknown = document;
  for (const segment of segments) {
    if (Array.isArray(value)) {
      path += `[${segment}]`;
      value = value[Number(segment)];
    } else {
      path += IDENTIFIER.test(segment)
        ? `.${segment}`
        : `[${JSON.stringify(segment)}]`;
      value =
        value && typeof value === 'object'
          ? (value as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return { path, value };
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describe(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return `has the unknown property ${JSON.stringify(
        params.additionalProperty,
      )}`;
    case 'enum': {
      const allowed: unknown[] = params.allowedValues ?? [];
      return allowed.length && allowed.length <= 8
        ? `is ${show(value)}, must be one of ${allowed.map(show).join(', ')}`
        : `is ${show(value)}, which is not one of the allowed values`;
    }
    case 'const':
      return `is ${show(value)}, must be ${show(params.allowedValue)}`;
    case 'type':
      return `is ${show(value)}, must be of type ${params.type}`;
    case 'pattern':
      return `is ${show(value)}, which does not match ${params.pattern}`;
    case 'format':
      return `is ${show(value)}, which is not a valid ${params.format}`;
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

/**
 * Turns ajv errors into a few readable lines, each naming the JSON path of the problem,
 * e.g. `$.packages[2].name is required`.
 *
 * @internal
 */
export function formatSchemaErrors(options: {
  errors: ErrorObject[];
  /** The validated document, to show offending values. */
  document: unknown;
  limit?: number;
}): { lines: string[]; total: number } {
  const { errors, document, limit = 3 } = options;
  const specific = errors.filter(e => !COMBINATORS.has(e.keyword));
  const relevant = specific.length ? specific : errors;
  const lines = new Set<string>();
  for (const error of relevant) {
    const segments = decodePointer(error.instancePath);
    if (error.keyword === 'required') {
      segments.push(
        String((error.params as { missingProperty: string }).missingProperty),
      );
    }
    const { path, value } = resolve(document, segments);
    lines.add(`${path} ${describe(error, value)}`);
  }
  return { lines: [...lines].slice(0, limit), total: lines.size };
}
