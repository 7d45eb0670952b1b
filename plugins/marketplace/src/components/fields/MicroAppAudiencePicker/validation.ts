import { parseEntityRef } from '@backstage/catalog-model';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';

/** Refuses entries (e.g. from the query string) that are not group refs. */
export const validateAudience: CustomFieldValidator<string[]> = (
  refs,
  validation,
) => {
  for (const ref of refs ?? []) {
    let kind: string | undefined;
    try {
      kind = parseEntityRef(ref).kind;
    } catch {
      kind = undefined;
    }
    if (kind?.toLocaleLowerCase('en-US') !== 'group') {
      validation.addError(
        `'${ref}' is not a group; the audience takes group refs such as group:default/finance`,
      );
    }
  }
};
