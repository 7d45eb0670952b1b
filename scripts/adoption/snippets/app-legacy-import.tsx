import {
  ChargebackReportPage,
  MarketplacePage,
  MicroAppAudiencePickerFieldExtension,
  MicroAppClassificationPickerFieldExtension,
  MicroAppCostCenterPickerFieldExtension,
  MicroAppPermissionPickerFieldExtension,
  ReviewQueuePage,
} from '@microapps/plugin-marketplace';
import { ScaffolderFieldExtensions } from '@backstage/plugin-scaffolder-react';
