import { Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { AppSummary } from '@microapps/plugin-marketplace-common';
import { GateStatusLabel } from '../GateStatusLabel';
import { TierChip } from '../TierChip';

const entityPath = (app: AppSummary) =>
  `/catalog/${encodeURIComponent(app.namespace)}/microapp/${encodeURIComponent(
    app.name,
  )}`;

const ownerName = (ref: string) => ref.replace(/^group:(default\/)?/, '');

/** The apps of one page, with the columns engineers browse by. */
export function AppTable(props: { apps: AppSummary[] }) {
  return (
    <Table size="small" aria-label="Micro apps">
      <caption>Micro apps with their tier, gate status, owner and cost</caption>
      <TableHead>
        <TableRow>
          <TableCell>Name</TableCell>
          <TableCell>Tier</TableCell>
          <TableCell>Gate status</TableCell>
          <TableCell>Owner</TableCell>
          <TableCell>Classification</TableCell>
          <TableCell>SLA</TableCell>
          <TableCell>Cost centre</TableCell>
          <TableCell align="right">Forecast / month</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.apps.map(app => (
          <TableRow key={app.entityRef}>
            <TableCell>
              <Link to={entityPath(app)}>{app.title}</Link>
              {app.description && (
                <div>
                  <small>{app.description}</small>
                </div>
              )}
            </TableCell>
            <TableCell>
              <TierChip tier={app.tier} />
              {app.requestedTier !== app.tier && (
                <div>
                  <small>requests {app.requestedTier}</small>
                </div>
              )}
            </TableCell>
            <TableCell>
              <GateStatusLabel status={app.gateStatus} />
            </TableCell>
            <TableCell>{ownerName(app.owner)}</TableCell>
            <TableCell>{app.classification ?? '—'}</TableCell>
            <TableCell>{app.slaTier ?? '—'}</TableCell>
            <TableCell>{app.cost.center}</TableCell>
            <TableCell align="right">
              {new Intl.NumberFormat('en', {
                style: 'currency',
                currency: app.cost.currency,
              }).format(app.cost.monthlyForecast)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
