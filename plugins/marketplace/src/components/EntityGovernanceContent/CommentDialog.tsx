import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';

/**
 * Asks for a comment and confirms an action; shows the server's answer when it refuses, so
 * nobody has to guess why nothing happened.
 */
export function CommentDialog(props: {
  open: boolean;
  title: string;
  confirmLabel: string;
  requireComment: boolean;
  /** The comment field's label when a comment is required, e.g. "Reason". */
  requiredLabel?: string;
  children?: React.ReactNode;
  /** Keeps the confirm button disabled, e.g. while another field of the dialog is invalid. */
  confirmDisabled?: boolean;
  onClose: () => void;
  onConfirm: (comment: string) => Promise<void>;
}) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const missing = props.requireComment && !comment.trim();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(comment.trim());
      setComment('');
      props.onClose();
    } catch (e) {
      setError(String((e as Error).message ?? e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        {props.children}
        <TextField
          id="action-comment"
          label={
            props.requireComment
              ? `${props.requiredLabel ?? 'Reason'} (required)`
              : 'Comment'
          }
          multiline
          minRows={3}
          fullWidth
          variant="outlined"
          margin="dense"
          value={comment}
          onChange={e => setComment(e.target.value)}
        />
        {error && (
          <Typography role="alert" color="error" variant="body2">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={missing || busy || props.confirmDisabled}
          onClick={confirm}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
