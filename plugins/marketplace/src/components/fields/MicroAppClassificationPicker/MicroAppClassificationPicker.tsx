import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Typography from '@material-ui/core/Typography';
import {
  CLASSIFICATION_HELP,
  CLASSIFICATIONS,
  Classification,
} from './classifications';
import type { MicroAppClassificationPickerProps } from './schema';

/**
 * Picks the data classification, one radio per value with what data it covers and what
 * it means for the review. A template's `enum` narrows the choice.
 */
export function MicroAppClassificationPicker(
  props: MicroAppClassificationPickerProps,
) {
  const {
    onChange,
    formData,
    required,
    disabled,
    rawErrors,
    idSchema,
    schema,
  } = props;
  const {
    title = 'Data classification',
    description = 'The most sensitive data the app handles.',
  } = schema;
  const allowed: Classification[] = Array.isArray(schema.enum)
    ? CLASSIFICATIONS.filter(c => schema.enum!.includes(c))
    : [...CLASSIFICATIONS];
  const id = idSchema?.$id ?? 'classification';
  return (
    <FormControl
      component="fieldset"
      margin="normal"
      required={required}
      disabled={disabled}
      error={(rawErrors?.length ?? 0) > 0}
    >
      <FormLabel component="legend">{title}</FormLabel>
      <FormHelperText>{description}</FormHelperText>
      <RadioGroup
        name={id}
        value={formData ?? ''}
        onChange={e => onChange(e.target.value as Classification)}
      >
        {allowed.map(value => {
          const help = CLASSIFICATION_HELP[value];
          const helpId = `${id}-${value}-help`;
          return (
            <Box key={value} mt={1}>
              <FormControlLabel
                value={value}
                control={<Radio inputProps={{ 'aria-describedby': helpId }} />}
                label={help.title}
              />
              <Box id={helpId} ml={4}>
                <Typography variant="body2">{help.data}</Typography>
                <Typography variant="body2" color="textSecondary">
                  Review: {help.review}
                </Typography>
              </Box>
            </Box>
          );
        })}
      </RadioGroup>
    </FormControl>
  );
}
