import net from 'node:net';
import path from 'node:path';
import type { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { REPO } from '../src/__testUtils__/testBackend';

// The pieces every real backend of the benches and the fault suite is built from: they run
// outside jest, where startTestBackend cannot, so each assembles a `createBackend()` itself.

type Backend = ReturnType<typeof createBackend>;

/** A port nobody listens on at the moment, for a backend or a fake server. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Permissions that allow everything: what is measured or broken is the query, the database
 * or a service, not the policy (separation of duties is the workflow's, whatever it says).
 */
export const allowAllPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory(): PermissionsService {
    return {
      async authorize(requests) {
        return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
      },
      async authorizeConditional(requests) {
        return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
      },
    };
  },
});

/** The backend's root config: the one given, not app-config files. */
export function rootConfigOf(config: Config) {
  return createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    factory: () => config,
  });
}

/** Notifications that go nowhere, or into `sent` for a caller that checks them. */
export function notificationsInto(sent?: NotificationSendOptions[]) {
  return createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      send: async (n: NotificationSendOptions) => {
        sent?.push(n);
      },
    }),
  });
}

/** The demo's org and templates: the users, groups and Template kind every app refers to. */
export const BASE_LOCATIONS = [
  path.join(REPO, 'examples/org.yaml'),
  path.join(REPO, 'templates/all.yaml'),
];

/** The catalog's allowed kinds and its file `locations`. */
export function catalogSources(locations: string[]) {
  return {
    rules: [{ allow: ['MicroApp', 'Template', 'Location', 'User', 'Group'] }],
    locations: locations.map(target => ({ type: 'file', target })),
  };
}

/**
 * The plugins under test: the catalog with the scaffolder's Template kind and our catalog
 * module, and the marketplace backend itself.
 */
export function addMarketplacePlugins(backend: Backend) {
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  );
  backend.add(import('@microapps/plugin-catalog-backend-module-marketplace'));
  backend.add(import('../src'));
}
