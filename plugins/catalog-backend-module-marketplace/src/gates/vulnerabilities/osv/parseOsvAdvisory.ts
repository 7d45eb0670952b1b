import { InputError } from '@backstage/errors';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { exceedsJsonDepth } from '../../../bounds/jsonNestingDepth';
import { BOUND_KEYS } from '../../../bounds/keys';
import { LimitExceededError } from '../../../bounds/LimitExceededError';
import type { OsvAdvisory } from './OsvAdvisory';
import { OSV_ADVISORY_SCHEMA } from './osvAdvisorySchema';
import { DEFAULT_OSV_LOAD_LIMITS } from './osvLoadLimits';

let validator: ValidateFunction<OsvAdvisory> | undefined;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function describe(errors: ErrorObject[]): string {
  // The oneOf error says more about an event than the failures of its branches.
  const error = errors.find(e => e.keyword === 'oneOf') ?? errors[0];
  if (!error) return 'it is not valid';
  const where = error.instancePath || 'the advisory';
  if (error.keyword === 'oneOf') {
    return `${where} must have exactly one of introduced, fixed, last_affected, limit`;
  }
  if (error.keyword === 'anyOf') {
    return `${where} has the wrong type`;
  }
  return `${where} ${error.message}`;
}

/**
 * Reads one OSV advisory from its JSON text (or bytes) and checks the parts the gate uses.
 * Throws InputError saying what is wrong, or LimitExceededError when the text nests deeper
 * than `maxDepth` (checked before it is parsed, so the schema validation never recurses
 * into it). The messages are about "the file": callers put its name in front.
 *
 * @public
 */
export function parseOsvAdvisory(options: {
  data: string | Uint8Array;
  /** Default {@link DEFAULT_OSV_LOAD_LIMITS}.maxDepth. */
  maxDepth?: number;
}): OsvAdvisory {
  const { maxDepth = DEFAULT_OSV_LOAD_LIMITS.maxDepth } = options;
  let text: string;
  let json: unknown;
  try {
    text =
      typeof options.data === 'string'
        ? options.data
        : utf8.decode(options.data);
  } catch (error) {
    throw notJson(error);
  }
  // before parsing, so neither JSON.parse nor the schema validation recurses into it
  if (exceedsJsonDepth(text, maxDepth)) {
    throw new LimitExceededError(
      `nests objects and arrays deeper than the limit of ${maxDepth} levels (${BOUND_KEYS.osv}.maxDepth)`,
      'maxDepth',
    );
  }
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw notJson(error);
  }
  validator ??= new Ajv({
    allErrors: false,
    strict: false,
  }).compile<OsvAdvisory>(OSV_ADVISORY_SCHEMA);
  if (!validator(json)) {
    throw new InputError(
      `is not an OSV advisory the gate can use: ${describe(
        validator.errors ?? [],
      )}`,
    );
  }
  return json;
}

function notJson(error: unknown): InputError {
  return new InputError(`is not valid UTF-8 JSON: ${(error as Error).message}`);
}
