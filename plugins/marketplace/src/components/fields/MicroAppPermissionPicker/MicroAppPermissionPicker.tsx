import FormControl from '@material-ui/core/FormControl';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { PermissionRow } from './PermissionRow';
import { withPermission, withScopes } from './permissionList';
import type { MicroAppPermissionPickerProps } from './schema';
import { isPiiScope, pickableScopes, TemplateScopes } from './templateScopes';
import { useTemplateRef } from './useTemplateRef';
import { useTemplateScopes } from './useTemplateScopes';

/**
 * Picks the permission scopes the app requests, from the allowlist of the template
 * (`microapps.dev/allowed-scopes`), with a justification per scope; the template's
 * personal-data scopes (`microapps.dev/pii-scopes`) require one.
 */
export function MicroAppPermissionPicker(props: MicroAppPermissionPickerProps) {
  const { uiSchema } = props;
  const { templateRef, error: refError } = useTemplateRef(
    uiSchema?.['ui:options']?.template,
  );
  const { loading, error, value: scopes } = useTemplateScopes(templateRef);

  let content: JSX.Element;
  if (refError) {
    content = (
      <Alert severity="error">
        ui:options.template is not an entity ref: {refError.message}
      </Alert>
    );
  } else if (!templateRef) {
    content = (
      <Alert severity="warning">
        This form names no template, so the allowed scopes are unknown. Set
        ui:options.template to the template's entity ref.
      </Alert>
    );
  } else if (loading) {
    content = (
      <div role="status">
        <Typography variant="body2">
          Loading the allowed scopes of {templateRef}…
        </Typography>
        <LinearProgress />
      </div>
    );
  } else if (error) {
    content = (
      <Alert severity="error">
        Could not load the template {templateRef}: {error.message}
      </Alert>
    );
  } else if (!scopes) {
    content = (
      <Alert severity="error">
        The template {templateRef} is not in the catalog, so its allowed scopes
        are unknown.
      </Alert>
    );
  } else {
    content = <ScopeList {...props} scopes={scopes} />;
  }

  return (
    <FormControl
      margin="normal"
      fullWidth
      required={props.required}
      error={(props.rawErrors?.length ?? 0) > 0}
    >
      {content}
    </FormControl>
  );
}

function ScopeList(
  props: MicroAppPermissionPickerProps & { scopes: TemplateScopes },
) {
  const {
    scopes,
    onChange,
    formData,
    required,
    disabled,
    rawErrors,
    idSchema,
    schema: {
      title = 'Permissions',
      description = 'The scopes the app needs.',
    },
  } = props;
  const permissions = formData ?? [];
  const id = idSchema?.$id ?? 'permissions';
  const patterns = scopes.allowed.filter(s => s.endsWith('*'));
  const allowedText = scopes.allowed.length
    ? `This template allows ${scopes.allowed.join(', ')}${
        patterns.length ? ' (type the full scope for a pattern)' : ''
      }; press Enter to add a scope that is not listed.`
    : 'This template allows no scopes.';
  return (
    <>
      <Autocomplete
        id={id}
        multiple
        freeSolo
        disabled={disabled}
        options={pickableScopes(scopes)}
        value={permissions.map(p => p.scope)}
        filterSelectedOptions
        onChange={(_event, picked) =>
          onChange(withScopes(scopes, permissions, picked as string[]))
        }
        renderOption={option =>
          isPiiScope(scopes, option) ? `${option} (personal data)` : option
        }
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            helperText={`${description} ${allowedText}`}
            required={required}
            error={(rawErrors?.length ?? 0) > 0}
            variant="outlined"
            margin="dense"
            // The chips are the value: the empty text input must not trip HTML validation.
            InputProps={{
              ...params.InputProps,
              required: required && permissions.length === 0,
            }}
          />
        )}
      />
      {permissions.map((permission, index) => (
        <PermissionRow
          key={permission.scope}
          id={`${id}-${index}-justification`}
          scopes={scopes}
          permission={permission}
          disabled={disabled}
          showErrors={(rawErrors?.length ?? 0) > 0}
          onChange={change =>
            onChange(withPermission(permissions, index, change))
          }
        />
      ))}
    </>
  );
}
