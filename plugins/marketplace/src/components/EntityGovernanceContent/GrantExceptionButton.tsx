import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { exceptionGrantPermission } from '@microapps/plugin-marketplace-common';
import { marketplaceApiRef } from '../../api';
import { CommentDialog } from './CommentDialog';

const DAY_MS = 24 * 60 * 60 * 1000;

/** "Grant exception" on one finding, for those the server would let grant it. */
export function GrantExceptionButton(props: {
  entityRef: string;
  namespace: string;
  name: string;
  gateId: string;
  findingId: string;
  onDone: () => void;
}) {
  const api = useApi(marketplaceApiRef);
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState(14);
  const { allowed } = usePermission({
    permission: exceptionGrantPermission,
    resourceRef: props.entityRef,
  });
  if (!allowed) return null;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        Grant exception
      </Button>
      <CommentDialog
        open={open}
        title={`Exception for ${props.findingId} (${props.gateId})`}
        confirmLabel="Grant"
        requireComment
        onClose={() => setOpen(false)}
        onConfirm={async reason => {
          await api.grantException(
            { namespace: props.namespace, name: props.name },
            {
              gateId: props.gateId,
              findingId: props.findingId,
              reason,
              expiresAt: new Date(Date.now() + days * DAY_MS).toISOString(),
            },
          );
          props.onDone();
        }}
      >
        <TextField
          id="exception-days"
          label="Valid for (days)"
          type="number"
          variant="outlined"
          margin="dense"
          inputProps={{ min: 1, max: 90 }}
          value={days}
          onChange={e => setDays(Math.max(1, Number(e.target.value) || 1))}
        />
      </CommentDialog>
    </>
  );
}
