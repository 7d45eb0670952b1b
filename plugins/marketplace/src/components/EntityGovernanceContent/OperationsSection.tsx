import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { AppState } from '@microapps/plugin-marketplace-common';
import { CostFigures } from '../EntityCards/CostFigures';
import { LastActivity } from '../EntityCards/OperationsFlags';
import { SlaFigures } from '../EntityCards/SlaFigures';
import { responseTargetMinutes, slaTargetText } from '../operationsText';

/**
 * "Cost and support" on the Governance tab: the cost figures with the last months' actuals,
 * the SLA tier and target with the month's figures, and the last activity.
 */
export function OperationsSection(props: { app: AppState }) {
  const { app } = props;
  const operations = app.operations;
  const tier = app.support.slaTier ?? operations?.sla.slaTier;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <Typography variant="h6" component="h3">
          Cost
        </Typography>
        <CostFigures
          declared={app.cost}
          figures={operations?.cost}
          showHistory
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <Typography variant="h6" component="h3">
          Support
        </Typography>
        <Typography variant="body2">
          SLA tier:{' '}
          {tier
            ? slaTargetText(
                tier,
                responseTargetMinutes(
                  tier,
                  operations?.sla.responseTargetMinutes,
                ),
              )
            : 'not set'}
        </Typography>
        <SlaFigures
          figures={operations?.sla}
          slaTier={app.support.slaTier}
          appPath={`${app.namespace}/${app.name}`}
        />
        <LastActivity operations={operations} />
      </Grid>
    </Grid>
  );
}
