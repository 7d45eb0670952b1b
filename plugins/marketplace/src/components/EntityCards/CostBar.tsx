import LinearProgress from '@material-ui/core/LinearProgress';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  root: {
    height: 10,
    borderRadius: 5,
    backgroundColor: theme.palette.action.selected,
  },
  within: { backgroundColor: theme.palette.status.ok },
  over: { backgroundColor: theme.palette.status.error },
}));

/**
 * The month's actual against its limit as a bar. Its own colour rule, not the Gauge's thirds:
 * within the limit is `ok`, over it is `error` (the bar is then full). The text next to it says
 * the same in words; the bar carries it in its label.
 */
export function CostBar(props: {
  actual: number;
  limit: number;
  over: boolean;
  /** e.g. "€31.20 of €40.00 forecast (78 %)". */
  label: string;
}) {
  const classes = useStyles();
  const { actual, limit, over } = props;
  const value =
    limit > 0 ? Math.min(100, Math.max(0, (actual / limit) * 100)) : 100;
  return (
    <LinearProgress
      variant="determinate"
      value={value}
      aria-label={props.label}
      aria-valuetext={props.label}
      classes={{
        root: classes.root,
        bar: over ? classes.over : classes.within,
      }}
    />
  );
}
