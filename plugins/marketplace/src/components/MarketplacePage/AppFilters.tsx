import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';

/** The filters of the marketplace page, as kept in the URL. */
export type AppFilterValues = {
  q?: string;
  tier?: string;
  gateStatus?: string;
  owner?: string;
  classification?: string;
  costCenter?: string;
};

const TIERS = [
  ['', 'All tiers'],
  ['discover', 'Discover'],
  ['vetted', 'Vetted'],
  ['enterprise', 'Enterprise'],
  ['expired', 'Expired'],
];
const STATUSES = [
  ['', 'All statuses'],
  ['pass', 'Passed'],
  ['warn', 'Warning'],
  ['fail', 'Failed'],
  ['pending', 'Not reported'],
];
const CLASSIFICATIONS = [
  ['', 'Any'],
  ['public', 'Public'],
  ['internal', 'Internal'],
  ['confidential', 'Confidential'],
  ['restricted', 'Restricted'],
];

function Choice(props: {
  id: string;
  label: string;
  value?: string;
  options: string[][];
  onChange: (value: string) => void;
}) {
  return (
    <FormControl variant="outlined" size="small" fullWidth margin="dense">
      <InputLabel id={`${props.id}-label`}>{props.label}</InputLabel>
      <Select
        labelId={`${props.id}-label`}
        id={props.id}
        label={props.label}
        value={props.value ?? ''}
        onChange={e => props.onChange(String(e.target.value))}
      >
        {props.options.map(([value, title]) => (
          <MenuItem key={value} value={value}>
            {title}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

function Text(props: {
  id: string;
  label: string;
  placeholder?: string;
  value?: string;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      id={props.id}
      label={props.label}
      placeholder={props.placeholder}
      variant="outlined"
      size="small"
      margin="dense"
      fullWidth
      value={props.value ?? ''}
      onChange={e => props.onChange(e.target.value)}
    />
  );
}

/** The filter rail: search, tier, owner, gate status, classification and cost center. */
export function AppFilters(props: {
  values: AppFilterValues;
  onChange: (values: AppFilterValues) => void;
}) {
  const { values, onChange } = props;
  const set = (key: keyof AppFilterValues) => (value: string) =>
    onChange({ ...values, [key]: value || undefined });
  return (
    // on paper, the fields' grey labels keep a 4.5:1 contrast (not on the page's grey)
    <Paper role="search" aria-label="Filter apps" style={{ padding: 12 }}>
      <Text id="search" label="Search" value={values.q} onChange={set('q')} />
      <Choice
        id="tier"
        label="Tier"
        value={values.tier}
        options={TIERS}
        onChange={set('tier')}
      />
      <Text
        id="owner"
        label="Owner"
        placeholder="group:default/finance-apps"
        value={values.owner}
        onChange={set('owner')}
      />
      <Choice
        id="gate-status"
        label="Gate status"
        value={values.gateStatus}
        options={STATUSES}
        onChange={set('gateStatus')}
      />
      <Choice
        id="classification"
        label="Classification"
        value={values.classification}
        options={CLASSIFICATIONS}
        onChange={set('classification')}
      />
      <Text
        id="cost-center"
        label="Cost center"
        placeholder="CC-4711"
        value={values.costCenter}
        onChange={set('costCenter')}
      />
    </Paper>
  );
}
