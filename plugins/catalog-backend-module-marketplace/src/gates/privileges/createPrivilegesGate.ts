import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_ALLOWED_SCOPES,
  ANNOTATION_PII_SCOPES,
  GateFinding,
  MIN_PII_JUSTIFICATION,
  parseScopeList,
  scopeMatches,
} from '@microapps/plugin-marketplace-common';
import type { PolicyGate } from '@microapps/plugin-marketplace-node';

/**
 * The `privileges` gate: every requested permission scope lies within the allowlist of the
 * template the app came from (annotation `microapps.dev/allowed-scopes` on the Template),
 * and every scope that reaches personal data carries a justification.
 *
 * @public
 */
export function createPrivilegesGate(options: {
  /** Looks up a Template entity; undefined when it does not exist. */
  getTemplate(ref: string): Promise<Entity | undefined>;
}): PolicyGate {
  return {
    id: 'privileges',
    title: 'Privileges',
    async evaluate({ entity }) {
      const permissions = entity.spec.permissions ?? [];
      if (!entity.spec.template) {
        return permissions.length
          ? {
              status: 'fail',
              findings: [
                {
                  id: 'no-template',
                  severity: 'high',
                  message:
                    'The app requests permissions but names no template (spec.template) whose allowlist they could be checked against',
                  location: 'spec.template',
                },
              ],
              summary: 'no template to check against',
            }
          : {
              status: 'pass',
              findings: [],
              summary: 'no permissions requested',
            };
      }
      const templateRef = stringifyEntityRef(
        parseEntityRef(entity.spec.template, {
          defaultKind: 'template',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      );
      const template = await options.getTemplate(templateRef);
      if (!template) {
        return {
          status: 'fail',
          findings: [
            {
              id: 'template-not-found',
              severity: 'high',
              message: `The template '${templateRef}' is not in the catalog`,
              location: 'spec.template',
            },
          ],
          summary: `template '${templateRef}' not found`,
        };
      }
      const allowed = parseScopeList(
        template.metadata.annotations?.[ANNOTATION_ALLOWED_SCOPES],
      );
      const piiScopes = parseScopeList(
        template.metadata.annotations?.[ANNOTATION_PII_SCOPES],
      );
      const findings: GateFinding[] = [];
      permissions.forEach((permission, index) => {
        const location = `spec.permissions[${index}]`;
        if (!scopeMatches(allowed, permission.scope)) {
          findings.push({
            id: `not-allowed:${permission.scope}`,
            severity: 'high',
            message: `The scope '${permission.scope}' is not in the allowlist of ${templateRef}`,
            location,
          });
        }
        const pii =
          permission.pii === true || scopeMatches(piiScopes, permission.scope);
        const justification = permission.justification?.trim() ?? '';
        if (pii && justification.length < MIN_PII_JUSTIFICATION) {
          findings.push({
            id: `pii-unjustified:${permission.scope}`,
            severity: 'high',
            message: `The scope '${permission.scope}' reaches personal data and needs a justification of at least ${MIN_PII_JUSTIFICATION} characters`,
            location: `${location}.justification`,
          });
        }
      });
      return {
        status: findings.length ? 'fail' : 'pass',
        findings,
        summary: findings.length
          ? `${findings.length} of ${permissions.length} permissions refused`
          : `${permissions.length} permissions within ${templateRef}`,
        inputDigest: `${templateRef}@${
          template.metadata.etag ?? ''
        }:${allowed.join(',')}|${piiScopes.join(',')}`,
      };
    },
  };
}
