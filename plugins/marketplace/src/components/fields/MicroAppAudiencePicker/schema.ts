import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** `MicroAppAudiencePicker`: the groups that may see the app while in Discover. */
export const MicroAppAudiencePickerSchema = makeFieldSchema({
  output: z =>
    z.array(
      z.string({
        description: 'A group entity ref, e.g. group:default/finance',
      }),
    ),
});

export type MicroAppAudiencePickerProps =
  typeof MicroAppAudiencePickerSchema.TProps;
