import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_SBOM,
  ANNOTATION_SBOM_SHA256,
} from '@microapps/plugin-marketplace-common';
import { createNpmBom, serializeBom } from '../lib/cycloneDx';
import { resolveWorkspacePath } from '../lib/inputs';
import {
  MANIFEST_FILE,
  readManifest,
  setManifestAnnotations,
} from '../lib/manifest';
import { parseNpmLockfile } from '../lib/npmLockfile';
import { examples } from './generateSbom.examples';

const DEFAULT_LOCKFILE = 'package-lock.json';
const DEFAULT_OUTPUT = 'sbom.cdx.json';

/**
 * Creates `marketplace:sbom:generate`, which writes a CycloneDX 1.5 SBOM of the packages in
 * the workspace's package-lock.json and records its SHA-256 in the manifest.
 *
 * @public
 */
export function createGenerateSbomAction() {
  return createTemplateAction({
    id: 'marketplace:sbom:generate',
    description:
      "Writes a CycloneDX 1.5 JSON SBOM of the packages in the workspace's package-lock.json and sets microapps.dev/sbom and microapps.dev/sbom-sha256 in the manifest",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        lockfile: z =>
          z
            .string({
              description: `The npm lockfile (v2 or v3), relative to the workspace. Default ${DEFAULT_LOCKFILE}`,
            })
            .optional(),
        output: z =>
          z
            .string({
              description: `Where to write the SBOM, relative to the workspace. Default ${DEFAULT_OUTPUT}`,
            })
            .optional(),
        manifest: z =>
          z
            .string({
              description: `The manifest that gets the SBOM's annotations, relative to the workspace. Default ${MANIFEST_FILE}`,
            })
            .optional(),
        includeDev: z =>
          z
            .boolean({
              description:
                'Also list development packages (dev: true in the lockfile). Default false',
            })
            .optional(),
      },
      output: {
        sbomPath: z =>
          z.string({
            description: 'Path of the SBOM, relative to the workspace',
          }),
        sha256: z =>
          z.string({ description: 'SHA-256 of the SBOM file, in hex' }),
        components: z =>
          z.number({ description: 'How many components the SBOM lists' }),
      },
    },
    async handler(ctx) {
      const { workspacePath, input } = ctx;
      const lockfile = input.lockfile || DEFAULT_LOCKFILE;
      const output = input.output || DEFAULT_OUTPUT;
      const manifest = input.manifest || MANIFEST_FILE;
      const lockfilePath = resolveWorkspacePath(
        workspacePath,
        lockfile,
        'lockfile',
      );
      const outputPath = resolveWorkspacePath(workspacePath, output, 'output');
      const manifestPath = resolveWorkspacePath(
        workspacePath,
        manifest,
        'manifest',
      );

      let text: string;
      try {
        text = await readFile(lockfilePath, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        throw new InputError(
          `lockfile: no ${lockfile} in the workspace: an npm skeleton must commit its lockfile (npm install --package-lock-only writes one) so that the SBOM lists exact versions`,
        );
      }
      const entity = await readManifest(manifestPath, 'manifest');
      const { bom, components } = createNpmBom({
        lockfile: parseNpmLockfile({
          text,
          field: `lockfile ${lockfile}`,
          includeDev: input.includeDev === true,
        }),
        appName: entity.metadata.name,
      });
      const bytes = Buffer.from(serializeBom(bom), 'utf8');
      await mkdir(path.dirname(outputPath), { recursive: true });
      await writeFile(outputPath, bytes);
      const sha256 = createHash('sha256').update(bytes).digest('hex');

      // the annotation is relative to the entity file, whichever folders both are in
      const sbomRef = path
        .relative(path.dirname(manifestPath), outputPath)
        .split(path.sep)
        .join('/');
      await setManifestAnnotations(manifestPath, 'manifest', {
        [ANNOTATION_SBOM]: `./${sbomRef}`,
        [ANNOTATION_SBOM_SHA256]: sha256,
      });
      const sbomPath = path
        .relative(workspacePath, outputPath)
        .split(path.sep)
        .join('/');
      ctx.logger.info(
        `Wrote ${sbomPath}: ${components} components from ${lockfile}, sha256 ${sha256}`,
      );
      ctx.output('sbomPath', sbomPath);
      ctx.output('sha256', sha256);
      ctx.output('components', components);
    },
  });
}
