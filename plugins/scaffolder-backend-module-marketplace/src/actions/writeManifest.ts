import path from 'node:path';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  type ActionContext,
} from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_ALLOWED_SCOPES,
  ANNOTATION_PII_SCOPES,
  ANNOTATION_SBOM,
  ANNOTATION_SOURCE_LOCATION,
  DEFAULT_TIER,
  MICRO_APP_API_VERSION,
  MICRO_APP_KIND,
  MIN_PII_JUSTIFICATION,
  parseScopeList,
  readCostCenters,
  scopeMatches,
  validateMicroAppEntity,
} from '@microapps/plugin-marketplace-common';
import { assertKnownCostCenter } from '../lib/costCenters';
import { assertEntityName, normalizeEntityRef } from '../lib/inputs';
import { MANIFEST_FILE, writeManifest } from '../lib/manifest';
import { examples } from './writeManifest.examples';

type Permission = { scope: string; pii?: boolean; justification?: string };

/** What the checks need of the template: its ref and its scope annotations. */
type TemplateScopes = {
  ref: string;
  annotations: Record<string, string> | undefined;
};

/**
 * Creates `marketplace:manifest:write`, which writes the app's MicroApp entity to
 * `catalog-info.yaml` after checking the requested permissions against the allowlist of the
 * template that runs and the cost center against `marketplace.cost.centers`.
 *
 * @public
 */
export function createWriteManifestAction(options: {
  catalog: CatalogService;
  config: Config;
}) {
  const { catalog } = options;
  const costCenters = readCostCenters(options.config);

  async function loadTemplate(
    ctx: ActionContext<any, any>,
    ref: string,
  ): Promise<TemplateScopes | undefined> {
    if (ctx.isDryRun) {
      // A dry run makes no catalog calls; the template being tried out comes with the task.
      const info = ctx.templateInfo;
      if (
        info?.entity &&
        normalizeEntityRef(info.entityRef, 'template', 'template') === ref
      ) {
        return { ref, annotations: info.entity.metadata.annotations };
      }
      return undefined;
    }
    const template = await catalog.getEntityByRef(ref, {
      credentials: await ctx.getInitiatorCredentials(),
    });
    if (!template) {
      throw new InputError(
        `template: '${ref}' is not in the catalog, or you may not see it`,
      );
    }
    return { ref, annotations: template.metadata.annotations };
  }

  return createTemplateAction({
    id: 'marketplace:manifest:write',
    description:
      "Writes the app's MicroApp entity (catalog-info.yaml), refusing permission scopes outside the template's allowlist, PII scopes without a justification and unknown cost centers",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string({
            description:
              'Entity name of the app (metadata.name), e.g. expense-helper',
          }),
        title: z =>
          z.string({ description: 'Display title of the app' }).optional(),
        description: z =>
          z
            .string({ description: 'What the app does, in a sentence' })
            .optional(),
        owner: z =>
          z.string({
            description:
              'Entity ref of the owning group, e.g. group:default/finance-apps',
          }),
        type: z =>
          z.string({
            description: 'The kind of app: web-app, static-site or automation',
          }),
        audience: z =>
          z
            .array(z.string(), {
              description:
                'Entity refs of the groups or users that may see the app while it is in Discover',
            })
            .optional(),
        classification: z =>
          z
            .enum(['public', 'internal', 'confidential', 'restricted'], {
              description: 'Classification of the data the app handles',
            })
            .optional(),
        residency: z =>
          z
            .array(z.string(), {
              description: 'Regions where the data may live, e.g. [eu]',
            })
            .optional(),
        permissions: z =>
          z
            .array(
              z.object({
                scope: z.string({ description: 'The permission scope' }),
                pii: z
                  .boolean({
                    description: 'True when it reaches personal data',
                  })
                  .optional(),
                justification: z
                  .string({ description: 'Why the app needs the scope' })
                  .optional(),
              }),
              {
                description:
                  "What the app's identity may do; each scope must be in the template's allowlist (annotation microapps.dev/allowed-scopes)",
              },
            )
            .optional(),
        costCenter: z =>
          z.string({
            description:
              'The cost center that pays, one of marketplace.cost.centers',
          }),
        monthlyForecast: z =>
          z
            .number({
              description: 'Forecast monthly cost in marketplace.cost.currency',
            })
            .min(0),
        supportContact: z =>
          z
            .string({
              description: 'E-mail address or chat channel of the support team',
            })
            .optional(),
        supportRoster: z =>
          z
            .string({
              description:
                'The on-call group of the app, e.g. group:default/finance-apps-oncall (required from Vetted on)',
            })
            .optional(),
        slaTier: z =>
          z
            .enum(['S1', 'S2', 'S3'], {
              description:
                'Support SLA: S1 (1 h response), S2 (4 h), S3 (24 h)',
            })
            .optional(),
        template: z =>
          z
            .string({
              description:
                'Entity ref of the template whose allowlist applies and that spec.template names; default the running template',
            })
            .optional(),
      },
      output: {
        entityRef: z =>
          z.string({
            description:
              'Entity ref of the app, e.g. microapp:default/expense-helper',
          }),
        manifestPath: z =>
          z.string({
            description: 'Path of the manifest, relative to the workspace',
          }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      assertEntityName(input.name, 'name');
      const templateInput = input.template || ctx.templateInfo?.entityRef;
      if (!templateInput) {
        throw new InputError(
          'template: the running template is unknown and the input template is not set; the manifest needs the template whose allowlist applies',
        );
      }
      const templateRef = normalizeEntityRef(
        templateInput,
        'template',
        'template',
      );
      assertKnownCostCenter(costCenters, input.costCenter);

      const template = await loadTemplate(ctx, templateRef);
      if (!template) {
        ctx.logger.warn(
          `Dry run: the permissions are not checked against the allowlist of ${templateRef}, which a dry run does not read from the catalog`,
        );
      }
      const permissions = checkPermissions(input.permissions ?? [], template);
      const supportRoster = input.supportRoster
        ? normalizeEntityRef(input.supportRoster, 'supportRoster', 'group')
        : undefined;

      const entity = buildEntity({
        ...input,
        supportRoster,
        permissions,
        templateRef,
      });
      const result = validateMicroAppEntity(entity);
      if (!result.valid) {
        throw new InputError(
          `The manifest is not a valid MicroApp: ${result.errors.join('; ')}`,
        );
      }
      await writeManifest(path.join(ctx.workspacePath, MANIFEST_FILE), entity);
      const entityRef = stringifyEntityRef(entity);
      ctx.logger.info(`Wrote ${MANIFEST_FILE} for ${entityRef}`);
      ctx.output('entityRef', entityRef);
      ctx.output('manifestPath', MANIFEST_FILE);
    },
  });
}

/**
 * Refuses scopes outside the allowlist and PII scopes without a justification, all at once;
 * returns the permissions as the manifest lists them, PII ones marked `pii: true`.
 */
function checkPermissions(
  permissions: Permission[],
  template: TemplateScopes | undefined,
): Permission[] {
  const allowed = parseScopeList(
    template?.annotations?.[ANNOTATION_ALLOWED_SCOPES],
  );
  const piiScopes = parseScopeList(
    template?.annotations?.[ANNOTATION_PII_SCOPES],
  );
  const problems: string[] = [];
  const result = permissions.map((p, i) => {
    const scope = p.scope?.trim() ?? '';
    if (!scope) {
      problems.push(`permissions[${i}].scope is empty`);
    } else if (template && !scopeMatches(allowed, scope)) {
      problems.push(
        `Scope '${scope}' is not in the allowlist of ${template.ref} (${
          allowed.join(', ') || 'no scopes allowed'
        })`,
      );
    }
    const pii = p.pii === true || scopeMatches(piiScopes, scope);
    const justification = p.justification?.trim() ?? '';
    if (pii && justification.length < MIN_PII_JUSTIFICATION) {
      problems.push(
        `Scope '${scope}' reaches personal data: permissions[${i}].justification needs at least ${MIN_PII_JUSTIFICATION} characters`,
      );
    }
    const permission: Permission = { scope };
    if (justification) permission.justification = justification;
    if (pii) permission.pii = true;
    return permission;
  });
  if (problems.length) {
    throw new InputError(problems.join('; '));
  }
  return result;
}

function buildEntity(input: {
  name: string;
  title?: string;
  description?: string;
  owner: string;
  type: string;
  audience?: string[];
  classification?: string;
  residency?: string[];
  permissions: Permission[];
  costCenter: string;
  monthlyForecast: number;
  supportContact?: string;
  supportRoster?: string;
  slaTier?: string;
  templateRef: string;
}): Entity {
  const support = compact({
    roster: input.supportRoster,
    contact: input.supportContact,
    slaTier: input.slaTier,
  });
  const data = compact({
    classification: input.classification,
    residency: input.residency,
  });
  return {
    apiVersion: MICRO_APP_API_VERSION,
    kind: MICRO_APP_KIND,
    metadata: compact({
      name: input.name,
      title: input.title,
      description: input.description,
      annotations: {
        [ANNOTATION_SBOM]: './sbom.cdx.json',
        [ANNOTATION_SOURCE_LOCATION]: 'url:./',
      },
    }) as Entity['metadata'],
    spec: compact({
      type: input.type,
      owner: input.owner,
      tier: DEFAULT_TIER,
      template: input.templateRef,
      audience: input.audience,
      support: Object.keys(support).length ? support : undefined,
      data: Object.keys(data).length ? data : undefined,
      permissions: input.permissions.length ? input.permissions : undefined,
      cost: {
        center: input.costCenter,
        monthlyForecast: input.monthlyForecast,
      },
    }),
  };
}

/** Drops undefined and empty-string values: a template passes '' for a field left empty. */
function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<T>;
}
