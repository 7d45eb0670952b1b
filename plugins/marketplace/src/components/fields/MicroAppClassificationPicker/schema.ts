import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { CLASSIFICATIONS } from './classifications';

/** `MicroAppClassificationPicker`: the data classification of the app. */
export const MicroAppClassificationPickerSchema = makeFieldSchema({
  output: z =>
    z.enum(CLASSIFICATIONS, {
      description:
        'The data classification: public, internal, confidential or restricted',
    }),
});

export type MicroAppClassificationPickerProps =
  typeof MicroAppClassificationPickerSchema.TProps;
