export { ChargebackReportPage } from './ChargebackReportPage';
export { RequireReportPermission } from './RequireReportPermission';
