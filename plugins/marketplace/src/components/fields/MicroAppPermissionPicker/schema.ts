import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** `MicroAppPermissionPicker`: the permission scopes the app requests. */
export const MicroAppPermissionPickerSchema = makeFieldSchema({
  output: z =>
    z.array(
      z.object({
        scope: z.string({
          description: 'The permission scope, e.g. expenses.write',
        }),
        pii: z
          .boolean({ description: 'True when the scope reaches personal data' })
          .optional(),
        justification: z
          .string({ description: 'Why the app needs the scope' })
          .optional(),
      }),
    ),
  uiOptions: z =>
    z.object({
      template: z
        .string({
          description:
            'Entity ref of the template whose allowlist applies; default: the template of the page',
        })
        .optional(),
    }),
});

export type MicroAppPermissionPickerProps =
  typeof MicroAppPermissionPickerSchema.TProps;
