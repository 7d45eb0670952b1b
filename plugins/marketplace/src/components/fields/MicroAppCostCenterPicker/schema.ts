import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** `MicroAppCostCenterPicker`: a cost center id from `marketplace.cost.centers`. */
export const MicroAppCostCenterPickerSchema = makeFieldSchema({
  output: z =>
    z.string({ description: 'A cost center id from marketplace.cost.centers' }),
});

export type MicroAppCostCenterPickerProps =
  typeof MicroAppCostCenterPickerSchema.TProps;
