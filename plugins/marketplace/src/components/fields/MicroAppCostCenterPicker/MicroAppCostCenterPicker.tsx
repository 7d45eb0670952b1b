import { useMemo } from 'react';
import FormControl from '@material-ui/core/FormControl';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import {
  COST_CENTERS_CONFIG_KEY,
  CostCenter,
  costCenterLabel,
  configuredCostCenters,
} from './costCenters';
import type { MicroAppCostCenterPickerProps } from './schema';

/**
 * Picks the cost center that pays for the app from `marketplace.cost.centers`. Without
 * configured cost centers it takes a typed id and says that nobody checks it here.
 */
export function MicroAppCostCenterPicker(props: MicroAppCostCenterPickerProps) {
  const {
    onChange,
    formData,
    required,
    disabled,
    rawErrors,
    idSchema,
    schema: {
      title = 'Cost center',
      description = 'The cost center that pays for the app.',
    },
  } = props;
  const config = useApi(configApiRef);
  const centers = useMemo(() => configuredCostCenters(config), [config]);
  const hasError = (rawErrors?.length ?? 0) > 0;

  if (centers.length === 0) {
    return (
      <FormControl margin="normal" fullWidth>
        <Alert severity="warning">
          No cost centers are configured ({COST_CENTERS_CONFIG_KEY} in
          app-config), so the id you type is not checked here. Ask the portal
          team to add yours.
        </Alert>
        <TextField
          id={idSchema?.$id}
          label={title}
          helperText={description}
          required={required}
          disabled={disabled}
          error={hasError}
          value={formData ?? ''}
          onChange={e => onChange(e.target.value.trim() || undefined)}
          variant="outlined"
          margin="dense"
        />
      </FormControl>
    );
  }

  // A value from elsewhere (query string, an older config) stays visible; validation flags it.
  const selected: CostCenter | null = formData
    ? centers.find(c => c.id === formData) ?? { id: formData }
    : null;
  return (
    <FormControl margin="normal" fullWidth required={required} error={hasError}>
      <Autocomplete
        id={idSchema?.$id}
        options={centers}
        value={selected}
        disabled={disabled}
        getOptionLabel={costCenterLabel}
        getOptionSelected={(option, value) => option.id === value.id}
        onChange={(_event, value) => onChange(value?.id)}
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            helperText={description}
            required={required}
            error={hasError}
            variant="outlined"
            margin="dense"
          />
        )}
      />
    </FormControl>
  );
}
