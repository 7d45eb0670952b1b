import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { InputError, isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DISCOVER_EXPIRY_DAYS,
  isMicroAppEntity,
} from '@microapps/plugin-marketplace-common';
import type { MarketplaceService } from '@microapps/plugin-marketplace-node';
import { MANIFEST_FILE, readManifest } from '../lib/manifest';
import { MAX_WAIT_SECONDS, waitForEntity } from '../lib/waitForEntity';
import { examples } from './registerApp.examples';

const DEFAULT_WAIT_SECONDS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Creates `marketplace:app:register`, which registers the app's manifest as a catalog
 * location and the app with the marketplace, where it enters Discover.
 *
 * @public
 */
export function createRegisterAppAction(options: {
  catalog: CatalogService;
  marketplace: MarketplaceService;
  config: Config;
  /** How long to wait between catalog lookups. Default 1000. */
  pollIntervalMs?: number;
}) {
  const { catalog, marketplace, config, pollIntervalMs = 1000 } = options;
  const appBaseUrl = config.getOptionalString('app.baseUrl') ?? '';
  const expiresAfterDays =
    config.getOptionalNumber('marketplace.tiers.discover.expiresAfterDays') ??
    DISCOVER_EXPIRY_DAYS.default;

  /** Adds the location unless it exists; returns the ref of the MicroApp it holds. */
  async function addMicroAppLocation(
    location: { type: string; target: string },
    credentials: BackstageCredentials,
  ): Promise<string> {
    // Only a dry run returns the entities a location holds.
    const preview = await catalog.addLocation(
      { ...location, dryRun: true },
      { credentials },
    );
    const app = preview.entities.find(isMicroAppEntity);
    if (!app) {
      const found = preview.entities
        .filter(e => e.kind !== 'Location')
        .map(e => stringifyEntityRef(e));
      throw new InputError(
        `catalogInfoUrl: ${location.target} holds no MicroApp entity${
          found.length ? ` (found ${found.join(', ')})` : ''
        }`,
      );
    }
    if (!preview.exists) {
      try {
        await catalog.addLocation(location, { credentials });
      } catch (e) {
        // registered in the meantime, e.g. by an earlier attempt of this task
        if (!isConflict(e)) throw e;
      }
    }
    return stringifyEntityRef(app);
  }

  return createTemplateAction({
    id: 'marketplace:app:register',
    description:
      'Registers the manifest in the catalog and the app with the marketplace, where it enters the Discover tier',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        catalogInfoUrl: z =>
          z.string({
            description:
              "The app's catalog-info.yaml: an absolute path or file:// URL (a file location) or a URL the catalog can read",
          }),
        waitForEntitySeconds: z =>
          z
            .number({
              description: `How long to wait for the app to appear in the catalog, so that the task's links open it. Default ${DEFAULT_WAIT_SECONDS}; 0 does not wait`,
            })
            .min(0)
            .max(MAX_WAIT_SECONDS)
            .optional(),
      },
      output: {
        entityRef: z =>
          z.string({
            description:
              'Entity ref of the app, e.g. microapp:default/expense-helper',
          }),
        marketplaceUrl: z =>
          z.string({ description: 'URL of the marketplace page' }),
        governanceUrl: z =>
          z.string({ description: "Path of the app's Governance tab" }),
        expiresAt: z =>
          z
            .string({
              description:
                'When the app leaves Discover unless renewed (ISO 8601); null outside Discover',
            })
            .nullable(),
      },
    },
    async handler(ctx) {
      const location = toLocation(ctx.input.catalogInfoUrl);
      let entityRef: string;
      let expiresAt: string | null;
      if (ctx.isDryRun) {
        // Nothing is published in a dry run: the manifest is still in the workspace.
        entityRef = await dryRunEntityRef(ctx.workspacePath);
        expiresAt = new Date(
          Date.now() + expiresAfterDays * DAY_MS,
        ).toISOString();
        ctx.logger.info(
          `Dry run: would register ${location.type}:${location.target} in the catalog and ${entityRef} with the marketplace`,
        );
      } else {
        const credentials = await ctx.getInitiatorCredentials();
        entityRef = await ctx.checkpoint({
          key: `register.location.${location.type}:${location.target}`,
          fn: () => addMicroAppLocation(location, credentials),
        });
        const registration = await ctx.checkpoint({
          key: `register.app.${entityRef}`,
          fn: () =>
            marketplace.registerApp({
              entityRef,
              ...(ctx.user?.ref && { registeredBy: ctx.user.ref }),
            }),
        });
        expiresAt = registration.expiresAt;
        ctx.logger.info(
          `Registered ${entityRef}${
            registration.created ? '' : ' (registered before)'
          }, tier ${registration.tier}`,
        );
        const waitSeconds =
          ctx.input.waitForEntitySeconds ?? DEFAULT_WAIT_SECONDS;
        if (waitSeconds > 0) {
          const found = await waitForEntity({
            catalog,
            entityRef,
            credentials,
            waitSeconds,
            pollIntervalMs,
            signal: ctx.signal,
          });
          if (found) {
            ctx.logger.info(`The catalog holds ${entityRef}`);
          } else {
            // Registered all the same: the catalog shows it after its next processing pass.
            ctx.logger.warn(
              `The catalog does not show ${entityRef} yet after ${waitSeconds} s; it will once the catalog has processed its location (look for processing errors there if it does not)`,
            );
          }
        }
      }
      const { namespace, name } = parseEntityRef(entityRef);
      ctx.output('entityRef', entityRef);
      ctx.output('marketplaceUrl', `${appBaseUrl}/marketplace`);
      ctx.output(
        'governanceUrl',
        `/catalog/${encodeURIComponent(
          namespace,
        )}/microapp/${encodeURIComponent(name)}/governance`,
      );
      ctx.output('expiresAt', expiresAt);
    },
  });
}

/** An absolute path or file:// URL is a `file` location; anything else a `url` one. */
function toLocation(catalogInfoUrl: string): { type: string; target: string } {
  if (catalogInfoUrl.startsWith('file:')) {
    try {
      return { type: 'file', target: fileURLToPath(catalogInfoUrl) };
    } catch {
      throw new InputError(
        `catalogInfoUrl is not a valid file URL: '${catalogInfoUrl}'`,
      );
    }
  }
  if (path.isAbsolute(catalogInfoUrl)) {
    return { type: 'file', target: catalogInfoUrl };
  }
  if (!/^https?:\/\//.test(catalogInfoUrl)) {
    throw new InputError(
      `catalogInfoUrl must be an absolute path, a file:// URL or an http(s) URL, got '${catalogInfoUrl}'`,
    );
  }
  return { type: 'url', target: catalogInfoUrl };
}

async function dryRunEntityRef(workspacePath: string): Promise<string> {
  try {
    const entity = await readManifest(
      path.join(workspacePath, MANIFEST_FILE),
      'catalogInfoUrl',
    );
    return stringifyEntityRef(entity);
  } catch {
    return 'microapp:default/dry-run';
  }
}

function isConflict(e: unknown): boolean {
  return (
    isError(e) &&
    (e.name === 'ConflictError' ||
      (e as { statusCode?: number }).statusCode === 409)
  );
}
