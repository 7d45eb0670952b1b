import { Link } from '@backstage/core-components';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { AppSummary } from '@microapps/plugin-marketplace-common';
import { entityPath } from '../entityPaths';
import { GateStatusLabel } from '../GateStatusLabel';
import { requestedAbove, TierChip } from '../TierChip';
import { CostCell, FlagMarker, SlaCell } from './OperationsCells';

const ownerName = (ref: string) => ref.replace(/^group:(default\/)?/, '');

// short values stay on one line; the name column takes the wrapping
const nowrap = { whiteSpace: 'nowrap' } as const;

/**
 * The apps of one page, with the columns engineers browse by; the SLA state, the month's cost
 * and the flags come with the page (`operations` of each app), not from a request per row.
 */
export function AppTable(props: { apps: AppSummary[] }) {
  return (
    <Paper style={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="Micro apps">
        <caption>
          Micro apps with their tier, gate status, owner, SLA state and cost
          against forecast or budget this month
        </caption>
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell style={nowrap}>Tier</TableCell>
            <TableCell style={nowrap}>Gate status</TableCell>
            <TableCell style={nowrap}>Owner</TableCell>
            <TableCell style={nowrap}>Classification</TableCell>
            <TableCell style={nowrap}>SLA</TableCell>
            <TableCell style={nowrap}>Cost centre</TableCell>
            <TableCell align="right" style={nowrap}>
              Forecast / month
            </TableCell>
            <TableCell align="right" style={nowrap}>
              Cost this month
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.apps.map(app => (
            <TableRow key={app.entityRef}>
              <TableCell style={{ minWidth: 220 }}>
                <Link to={entityPath(app.entityRef)}>{app.title}</Link>
                {app.description && (
                  <div>
                    <small>{app.description}</small>
                  </div>
                )}
                <FlagMarker app={app} />
              </TableCell>
              <TableCell style={nowrap}>
                <TierChip tier={app.tier} />
                {requestedAbove(app.tier, app.requestedTier) && (
                  <div>
                    <small>requests {app.requestedTier}</small>
                  </div>
                )}
              </TableCell>
              <TableCell style={nowrap}>
                <GateStatusLabel status={app.gateStatus} />
              </TableCell>
              <TableCell style={nowrap}>{ownerName(app.owner)}</TableCell>
              <TableCell style={nowrap}>{app.classification ?? '—'}</TableCell>
              <TableCell style={nowrap}>
                <SlaCell app={app} />
              </TableCell>
              <TableCell style={nowrap}>{app.cost.center}</TableCell>
              <TableCell align="right" style={nowrap}>
                {new Intl.NumberFormat('en', {
                  style: 'currency',
                  currency: app.cost.currency,
                }).format(app.cost.monthlyForecast)}
              </TableCell>
              <TableCell align="right" style={nowrap}>
                <CostCell app={app} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}
