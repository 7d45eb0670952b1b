import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** Resolves a path given in an input field, refusing one that leaves the workspace. */
export function resolveWorkspacePath(
  workspacePath: string,
  relativePath: string,
  field: string,
): string {
  try {
    return resolveSafeChildPath(workspacePath, relativePath);
  } catch {
    throw new InputError(
      `${field} must be a path inside the workspace, got '${relativePath}'`,
    );
  }
}

/** Refuses a value that cannot be an entity name (metadata.name). */
export function assertEntityName(value: string, field: string): void {
  if (!KubernetesValidatorFunctions.isValidObjectName(value)) {
    throw new InputError(
      `${field} must be a valid entity name (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit), got '${value}'`,
    );
  }
}

/** Normalises an entity ref given in an input field, e.g. `name` to `template:default/name`. */
export function normalizeEntityRef(
  value: string,
  field: string,
  defaultKind: string,
): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    throw new InputError(
      `${field} must be an entity ref such as ${defaultKind}:default/name, got '${value}'`,
    );
  }
}
