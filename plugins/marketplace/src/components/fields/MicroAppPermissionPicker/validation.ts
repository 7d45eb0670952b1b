import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { checkPermissions } from './checkPermissions';
import { resolveTemplateRef } from './templateRef';
import { loadTemplateScopes, PermissionRequest } from './templateScopes';

/** `ui:options` of `MicroAppPermissionPicker`. @public */
export type MicroAppPermissionPickerUiOptions = {
  /** The template whose allowed scopes apply; defaults to the template of the page. */
  template?: string;
};

/**
 * Checks the requested scopes against the template's annotations, as the privileges gate
 * will. Validation runs outside React, so the template comes from `ui:options.template` or
 * the page's path (`/create/templates/:namespace/:templateName`).
 */
export const validatePermissions: CustomFieldValidator<
  PermissionRequest[],
  MicroAppPermissionPickerUiOptions
> = async (permissions, validation, { apiHolder, uiSchema }) => {
  if (!Array.isArray(permissions) || permissions.length === 0) {
    return;
  }
  const templateRef = resolveTemplateRef({
    option: uiSchema?.['ui:options']?.template,
    pathname:
      typeof window === 'undefined' ? undefined : window.location.pathname,
  });
  if (!templateRef) {
    validation.addError(
      'Cannot check the scopes: this form names no template (set ui:options.template)',
    );
    return;
  }
  const catalogApi = apiHolder.get(catalogApiRef);
  if (!catalogApi) {
    return;
  }
  const scopes = await loadTemplateScopes(catalogApi, templateRef);
  if (!scopes) {
    validation.addError(
      `Cannot check the scopes: the template '${templateRef}' is not in the catalog`,
    );
    return;
  }
  for (const error of checkPermissions(scopes, permissions)) {
    validation.addError(error);
  }
};
