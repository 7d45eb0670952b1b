import { RequireReportPermission } from '@microapps/plugin-marketplace';
