import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  Classification,
  CLASSIFICATIONS,
  isClassification,
} from './classifications';

/** Refuses a value (e.g. from the query string) that is not a classification. */
export const validateClassification: CustomFieldValidator<Classification> = (
  value,
  validation,
) => {
  if (value && !isClassification(value)) {
    validation.addError(
      `Unknown classification '${value}'; pick one of ${CLASSIFICATIONS.join(
        ', ',
      )}`,
    );
  }
};
