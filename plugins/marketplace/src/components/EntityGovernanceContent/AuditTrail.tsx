import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { AuditEntry } from '@microapps/plugin-marketplace-common';
import useAsync from 'react-use/esm/useAsync';
import { marketplaceApiRef } from '../../api';

/** What an entry says, in a line: the fields people look for first. */
export function auditDetails(entry: AuditEntry): string {
  const d = entry.data as Record<string, unknown>;
  const parts = [
    d.stage && `stage ${d.stage}`,
    d.decision && String(d.decision),
    d.targetTier && `to ${d.targetTier}`,
    d.gateId && `gate ${d.gateId}`,
    d.findingId && `finding ${d.findingId}`,
    d.status && !d.decision && `status ${d.status}`,
    d.tierChange &&
      `tier ${(d.tierChange as { from: string }).from} → ${
        (d.tierChange as { to: string }).to
      }`,
    (d.comment || d.reason) && `“${d.comment || d.reason}”`,
    d.registeredBy && `by ${d.registeredBy}`,
    typeof d.expiresAt === 'string' &&
      `expires ${new Date(d.expiresAt).toLocaleDateString()}`,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** The app's audit trail, newest first, read-only; the hash proves the entry's place. */
export function AuditTrail(props: { entityRef: string; reload?: unknown }) {
  const api = useApi(marketplaceApiRef);
  const { value, loading, error } = useAsync(
    () => api.listAudit({ entityRef: props.entityRef, limit: 1000 }),
    [api, props.entityRef, props.reload],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const entries = [...(value?.items ?? [])].reverse();
  if (!entries.length) {
    return <Typography variant="body2">Nothing recorded yet.</Typography>;
  }
  return (
    <Table size="small" aria-label="Audit trail">
      <caption>Every recorded change of the app, newest first</caption>
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Actor</TableCell>
          <TableCell>Action</TableCell>
          <TableCell>Details</TableCell>
          <TableCell>Hash</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {entries.map(entry => (
          <TableRow key={entry.seq}>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {new Date(entry.at).toLocaleString()}
            </TableCell>
            <TableCell>{entry.actor}</TableCell>
            <TableCell>{entry.action}</TableCell>
            <TableCell>{auditDetails(entry)}</TableCell>
            <TableCell>
              <code title={entry.hash}>{entry.hash.slice(0, 12)}…</code>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
