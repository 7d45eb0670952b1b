import { StatusWarning } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { AppOperations } from '@microapps/plugin-marketplace-common';
import { formatDate } from '../format';
import { flagText } from '../operationsText';

/**
 * Why a listing needs attention (Enterprise without runbook, roster or recent metrics; idle):
 * warnings at the top of the Governance tab, or warning lines on a card.
 */
export function OperationsFlags(props: {
  operations?: Pick<AppOperations, 'flags' | 'lastActivity'>;
  variant: 'alerts' | 'lines';
}) {
  const flags = props.operations?.flags ?? [];
  if (!flags.length) return null;
  const texts = flags.map(flag =>
    flagText(flag, props.operations?.lastActivity),
  );
  if (props.variant === 'alerts') {
    return (
      <>
        {texts.map(text => (
          <Alert key={text} severity="warning" style={{ marginBottom: 8 }}>
            {text}
          </Alert>
        ))}
      </>
    );
  }
  return (
    <>
      {texts.map(text => (
        <Typography key={text} variant="body2" component="div">
          <StatusWarning>{text}</StatusWarning>
        </Typography>
      ))}
    </>
  );
}

/** "Last activity 3 Dec 2026 (usage)", or that none was recorded. */
export function LastActivity(props: {
  operations?: Pick<AppOperations, 'lastActivity'>;
}) {
  if (!props.operations) return null;
  const last = props.operations.lastActivity;
  return (
    <Typography variant="body2">
      {last
        ? `Last activity ${formatDate(last.at)} (${last.signal})`
        : 'No activity recorded yet'}
    </Typography>
  );
}
