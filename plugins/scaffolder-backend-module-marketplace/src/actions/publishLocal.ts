import { cp, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { assertEntityName } from '../lib/inputs';
import { MANIFEST_FILE } from '../lib/manifest';
import { examples } from './publishLocal.examples';

/** Folders that are never published: version control and installed packages. */
const EXCLUDED = new Set(['.git', 'node_modules']);

/** The config key of the folder that receives published apps. */
export const LOCAL_PUBLISH_DIRECTORY_KEY =
  'marketplace.scaffolder.localPublish.directory';

/**
 * Creates `marketplace:publish:local`, which copies the workspace to a folder on the
 * backend's disk (`marketplace.scaffolder.localPublish.directory`), for portals without a
 * git host. A real portal publishes with `publish:github` or another publish action.
 *
 * @public
 */
export function createPublishLocalAction(options: { config: Config }) {
  const directory = options.config.getOptionalString(
    LOCAL_PUBLISH_DIRECTORY_KEY,
  );

  return createTemplateAction({
    id: 'marketplace:publish:local',
    description: `Copies the workspace (without .git and node_modules) to <${LOCAL_PUBLISH_DIRECTORY_KEY}>/<name>, refusing a folder that exists`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string({
            description:
              'Name of the folder to create, an entity name such as expense-helper',
          }),
      },
      output: {
        remoteUrl: z =>
          z.string({ description: 'file:// URL of the published folder' }),
        path: z =>
          z.string({ description: 'Absolute path of the published folder' }),
        catalogInfoUrl: z =>
          z.string({
            description: `Absolute path of the published ${MANIFEST_FILE}, to register in the catalog`,
          }),
      },
    },
    async handler(ctx) {
      const { name } = ctx.input;
      if (!directory) {
        throw new InputError(
          `${LOCAL_PUBLISH_DIRECTORY_KEY} is not set: configure the folder that receives locally published apps, or publish with publish:github (or another publish action) instead`,
        );
      }
      assertEntityName(name, 'name');
      const root = path.resolve(process.cwd(), directory);
      const target = resolveSafeChildPath(root, name);
      const refuseExisting = async () => {
        if (await exists(target)) {
          throw new ConflictError(
            `name: ${target} already exists; choose another name or remove that folder`,
          );
        }
      };

      if (ctx.isDryRun) {
        await refuseExisting();
        ctx.logger.info(`Dry run: would copy the workspace to ${target}`);
      } else {
        await ctx.checkpoint({
          key: `publish.local.${name}`,
          fn: async () => {
            await refuseExisting();
            await copyWorkspace({ from: ctx.workspacePath, root, target });
            ctx.logger.info(`Copied the workspace to ${target}`);
          },
        });
      }
      ctx.output('remoteUrl', pathToFileURL(target).href);
      ctx.output('path', target);
      ctx.output('catalogInfoUrl', path.join(target, MANIFEST_FILE));
    },
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Copies into a staging folder next to the target and renames it, so the target appears
 * complete or not at all (a failed copy leaves nothing a retry would take for a conflict).
 */
async function copyWorkspace(options: {
  from: string;
  root: string;
  target: string;
}): Promise<void> {
  const { from, root, target } = options;
  await mkdir(root, { recursive: true });
  const staging = await mkdtemp(path.join(root, `.${path.basename(target)}-`));
  try {
    const copy = path.join(staging, 'app');
    await cp(from, copy, {
      recursive: true,
      errorOnExist: true,
      force: false,
      filter: source => !EXCLUDED.has(path.basename(source)),
    });
    await rename(copy, target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
