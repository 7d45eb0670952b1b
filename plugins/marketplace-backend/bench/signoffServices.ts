import type {
  AuditorService,
  AuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { MembershipResolver } from '@microapps/plugin-marketplace-node';
import type { MarketplaceStore } from '../src/database/MarketplaceStore';
import { AccessGuard } from '../src/service/AccessGuard';
import { AppDirectory } from '../src/service/AppDirectory';
import { Notifier } from '../src/service/Notifier';
import { ChangeRunner } from '../src/service/workflow/ChangeRunner';
import { PromotionService } from '../src/service/workflow/PromotionService';
import { readWorkflowConfig } from '../src/service/workflow/readWorkflowConfig';
import { silentLogger } from './benchUtils';
import { OPEN_STAGES, OWNER, REVIEWER, REVIEWER_GROUP } from './seedHistory';

/** A MicroApp entity as the catalog would return it, owned by the bench's app team. */
function appEntity(ref: string): Entity {
  const name = ref.slice(ref.indexOf('/') + 1);
  return {
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: { namespace: 'default', name, title: name },
    spec: {
      type: 'web-app',
      owner: OWNER,
      tier: 'enterprise',
      support: { roster: OWNER, contact: '#bench', slaTier: 'S2' },
      data: { classification: 'internal', residency: ['eu'] },
      cost: { center: 'CC-1000', monthlyForecast: 6 },
    },
    relations: [{ type: 'ownedBy', targetRef: OWNER }],
  };
}

/**
 * The workflow services wired as `plugin.ts` wires them, on a real store, with the catalog,
 * auth, permissions, membership, auditor and notifications answered in-process at once: the
 * figure is the sign-off's own work (its reads, checks, one transaction under the app's lock
 * and the audit head's lock, and the after-commit steps), not the network round trips.
 */
export function createSignoffServices(store: MarketplaceStore) {
  const catalog = {
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      return { items: request.entityRefs.map(appEntity) };
    },
    async getEntityByRef(ref: string) {
      return appEntity(ref);
    },
    async refreshEntity() {},
  } as unknown as CatalogService;
  const auth = {
    async getOwnServiceCredentials() {
      return mockCredentials.service('plugin:marketplace');
    },
  } as unknown as AuthService;
  const permissions: PermissionsService = {
    async authorize(requests) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
    async authorizeConditional(requests) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
  };
  const membership: MembershipResolver = {
    async getClaims(user) {
      return [user, REVIEWER_GROUP];
    },
  };
  const auditor: AuditorService = {
    async createEvent() {
      return { async success() {}, async fail() {} };
    },
  };
  const notifications = {
    async send() {},
  } as unknown as NotificationService;

  const config = readWorkflowConfig(
    new ConfigReader({
      marketplace: {
        reviewers: Object.fromEntries(
          OPEN_STAGES.map(stage => [stage, [REVIEWER_GROUP]]),
        ),
      },
    }),
  );
  const directory = new AppDirectory({ catalog, auth });
  const guard = new AccessGuard(permissions);
  const changes = new ChangeRunner({
    store,
    directory,
    logger: silentLogger,
    auditor,
    notifier: new Notifier({ notifications, logger: silentLogger }),
  });
  const promotions = new PromotionService({
    store,
    directory,
    guard,
    changes,
    membership,
    config,
  });
  return { promotions, reviewer: mockCredentials.user(REVIEWER) };
}
