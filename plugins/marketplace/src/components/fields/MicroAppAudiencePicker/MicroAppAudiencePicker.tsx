import { useMemo } from 'react';
import FormControl from '@material-ui/core/FormControl';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import type { MicroAppAudiencePickerProps } from './schema';
import { GroupOption, useGroups } from './useGroups';

/**
 * Picks the groups that may see the app while it is in Discover, from the catalog's
 * groups; the value is their full refs (`group:default/finance`).
 */
export function MicroAppAudiencePicker(props: MicroAppAudiencePickerProps) {
  const {
    onChange,
    formData,
    required,
    disabled,
    rawErrors,
    idSchema,
    schema: {
      title = 'Audience',
      description = 'The groups that may see the app while it is in Discover.',
    },
  } = props;
  const { loading, error, value: groups } = useGroups();
  const selected = useMemo(
    () =>
      (formData ?? []).map(
        ref => groups?.find(g => g.ref === ref) ?? { ref, title: ref },
      ),
    [formData, groups],
  );
  const hasError = (rawErrors?.length ?? 0) > 0;
  return (
    <FormControl margin="normal" fullWidth required={required} error={hasError}>
      {error && (
        <Alert severity="error">
          Could not load the groups: {error.message}
        </Alert>
      )}
      <Autocomplete<GroupOption, true>
        id={idSchema?.$id}
        multiple
        disabled={disabled}
        loading={loading}
        loadingText="Loading groups…"
        noOptionsText="No more groups in the catalog"
        options={groups ?? []}
        value={selected}
        filterSelectedOptions
        getOptionLabel={group => group.title}
        getOptionSelected={(option, value) => option.ref === value.ref}
        onChange={(_event, picked) => onChange(picked.map(g => g.ref))}
        renderOption={group => (
          <div>
            <Typography variant="body2">{group.title}</Typography>
            <Typography variant="caption" color="textSecondary">
              {group.ref}
            </Typography>
          </div>
        )}
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            helperText={description}
            required={required}
            error={hasError}
            variant="outlined"
            margin="dense"
            // The chips are the value: the empty text input must not trip HTML validation.
            InputProps={{
              ...params.InputProps,
              required: required && selected.length === 0,
            }}
          />
        )}
      />
    </FormControl>
  );
}
