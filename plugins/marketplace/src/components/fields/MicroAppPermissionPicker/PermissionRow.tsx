import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { MIN_PII_JUSTIFICATION } from '@microapps/plugin-marketplace-common';
import { isJustified, reachesPersonalData } from './checkPermissions';
import {
  isAllowedScope,
  isPiiScope,
  PermissionRequest,
  TemplateScopes,
} from './templateScopes';

/** One picked scope: whether it reaches personal data, and why the app needs it. */
export function PermissionRow(props: {
  id: string;
  scopes: TemplateScopes;
  permission: PermissionRequest;
  disabled?: boolean;
  /** Show a missing justification as an error (after the first validation). */
  showErrors?: boolean;
  onChange: (change: { justification?: string; pii?: boolean }) => void;
}) {
  const { id, scopes, permission, disabled, showErrors, onChange } = props;
  const { scope } = permission;
  const templatePii = isPiiScope(scopes, scope);
  const pii = reachesPersonalData(scopes, permission);
  const allowed = isAllowedScope(scopes, scope);
  const length = permission.justification?.trim().length ?? 0;
  const missing = pii && !isJustified(permission);
  return (
    <Box mt={2} data-testid={`permission-${scope}`}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography variant="subtitle2" component="span">
          <code>{scope}</code>
        </Typography>
        {pii && <Chip size="small" color="secondary" label="Personal data" />}
        {!allowed && (
          <Chip
            size="small"
            variant="outlined"
            label="Not in this template's allowlist"
          />
        )}
        <FormControlLabel
          control={
            <Checkbox
              size="small"
              checked={pii}
              disabled={disabled || templatePii}
              onChange={e => onChange({ pii: e.target.checked })}
            />
          }
          label={
            templatePii
              ? 'Reaches personal data (set by the template)'
              : 'Reaches personal data'
          }
        />
      </Box>
      <TextField
        id={id}
        label={`Why does the app need ${scope}?`}
        value={permission.justification ?? ''}
        onChange={e => onChange({ justification: e.target.value })}
        required={pii}
        // The length rule is checked by the field's validation, with its own message.
        InputProps={{ required: false }}
        disabled={disabled}
        error={missing && (showErrors || length > 0)}
        helperText={
          pii
            ? `Required for personal data: at least ${MIN_PII_JUSTIFICATION} characters (${length} so far)`
            : 'Optional; helps the reviewers'
        }
        variant="outlined"
        margin="dense"
        fullWidth
        multiline
      />
    </Box>
  );
}
