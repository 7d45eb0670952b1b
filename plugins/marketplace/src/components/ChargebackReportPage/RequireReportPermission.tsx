import type { ReactNode } from 'react';
import { usePermission } from '@backstage/plugin-permission-react';
import { reportReadPermission } from '@microapps/plugin-marketplace-common';

/**
 * Shows its children only to users with `marketplace.report.read`, e.g. the chargeback page's
 * item in the sidebar. Only a convenience; the backend refuses the report anyway.
 *
 * @example
 * ```tsx
 * <RequireReportPermission>{nav.take('page:marketplace/chargeback')}</RequireReportPermission>
 * ```
 *
 * @public
 */
export function RequireReportPermission(props: { children?: ReactNode }) {
  const { allowed } = usePermission({ permission: reportReadPermission });
  return allowed ? <>{props.children}</> : null;
}
