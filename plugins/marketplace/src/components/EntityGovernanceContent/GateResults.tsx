import type { ReactNode } from 'react';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { GateResult } from '@microapps/plugin-marketplace-common';
import { GateResultStatus } from '../GateStatusLabel';
import { WebLink } from '../WebLink';

/** One row per gate with its status and enforcement, and its findings by severity. */
export function GateResults(props: {
  results: GateResult[];
  /** A button for a finding that blocks, e.g. to grant an exception. */
  findingAction?: (gateId: string, findingId: string) => ReactNode;
}) {
  return (
    <Table size="small" aria-label="Gate results">
      <caption>The latest evaluation of each gate</caption>
      <TableHead>
        <TableRow>
          <TableCell>Gate</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Enforcement</TableCell>
          <TableCell>Findings</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.results.map(result => (
          <TableRow key={result.gateId}>
            <TableCell>
              <strong>{result.gateId}</strong>
              {result.summary && (
                <div>
                  <small>{result.summary}</small>
                </div>
              )}
            </TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              <GateResultStatus result={result} />
            </TableCell>
            <TableCell>{result.enforcement}</TableCell>
            <TableCell>
              {result.error && <div>{result.error}</div>}
              {result.findings.slice(0, 20).map(finding => (
                <div key={finding.id}>
                  <Chip size="small" label={finding.severity} />{' '}
                  {finding.url ? (
                    <WebLink url={finding.url}>{finding.message}</WebLink>
                  ) : (
                    finding.message
                  )}
                  {!finding.exceptedUntil &&
                    finding.blocking !== false &&
                    result.enforcement === 'block' &&
                    (result.status === 'fail' || result.status === 'error') &&
                    props.findingAction?.(result.gateId, finding.id)}
                  {finding.exceptedUntil && (
                    <em>
                      {' '}
                      (excepted until{' '}
                      {new Date(finding.exceptedUntil).toLocaleDateString()})
                    </em>
                  )}
                </div>
              ))}
              {result.findings.length > 20 && (
                <div>and {result.findings.length - 20} more</div>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
