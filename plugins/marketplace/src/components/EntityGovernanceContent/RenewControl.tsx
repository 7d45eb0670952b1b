import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import {
  AppState,
  promotionRequestPermission,
} from '@microapps/plugin-marketplace-common';
import { marketplaceApiRef } from '../../api';

/** The server's own words: the cause of a ResponseError, else the error's message. */
function messageOf(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: unknown };
  const cause = e?.cause as { message?: string } | undefined;
  if (e?.name === 'ResponseError' && cause?.message) return cause.message;
  return String(e?.message ?? error);
}

/**
 * "Renew" for a Discover app the server would renew now (`renewal.allowed`), shown to those
 * who may ask for it (`marketplace.promotion.request` on the app, i.e. its owners). When it
 * may not be renewed, the owners see the server's reason instead.
 */
export function RenewControl(props: { app: AppState; onDone: () => void }) {
  const { app, onDone } = props;
  const api = useApi(marketplaceApiRef);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const { allowed } = usePermission({
    permission: promotionRequestPermission,
    resourceRef: app.entityRef,
  });
  const renewal = app.renewal;
  if (!allowed || !renewal) return null;
  if (!renewal.allowed) {
    // only Discover apps expire: nothing to say about the others
    if (!renewal.reason || (app.tier !== 'discover' && app.tier !== 'expired'))
      return null;
    return (
      <Typography variant="body2" color="textSecondary">
        Renewal not available: {renewal.reason}
      </Typography>
    );
  }
  const close = () => {
    setOpen(false);
    setError(undefined);
  };
  const renew = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.renewApp({ namespace: app.namespace, name: app.name });
      setOpen(false);
      onDone();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box my={1}>
      <Button variant="outlined" color="primary" onClick={() => setOpen(true)}>
        Renew
      </Button>
      <Dialog open={open} onClose={close} maxWidth="xs" fullWidth>
        <DialogTitle>Renew {app.title || app.name}</DialogTitle>
        <DialogContent>
          <DialogContentText>
            The app stays in Discover for another full period, counted from
            today
            {app.tier === 'expired' && ', and shows in the marketplace again'}.
            An app can be renewed once per period; to keep it longer, request
            promotion to Vetted.
          </DialogContentText>
          {error && (
            <Typography role="alert" color="error" variant="body2">
              {error}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={busy}
            onClick={renew}
          >
            Renew
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
