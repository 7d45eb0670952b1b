import type { MembershipResolver } from '@microapps/plugin-marketplace-node';
import type { MarketplaceStore } from '../../database/MarketplaceStore';
import type { AccessGuard } from '../AccessGuard';
import type { AppDirectory } from '../AppDirectory';
import type { ChangeRunner } from './ChangeRunner';
import type { WorkflowConfig } from './readWorkflowConfig';

/** What the workflow services share. */
export interface WorkflowDeps {
  store: MarketplaceStore;
  directory: AppDirectory;
  membership: MembershipResolver;
  guard: AccessGuard;
  changes: ChangeRunner;
  config: WorkflowConfig;
  /** The clock; tests move it. */
  now?: () => Date;
}

/** The current time of the workflow's clock. */
export function nowOf(deps: Pick<WorkflowDeps, 'now'>): Date {
  return deps.now?.() ?? new Date();
}
