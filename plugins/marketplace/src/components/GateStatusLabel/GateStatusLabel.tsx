import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';

const LABELS = {
  pass: { Icon: StatusOK, word: 'Passed' },
  warn: { Icon: StatusWarning, word: 'Warning' },
  fail: { Icon: StatusError, word: 'Failed' },
  pending: { Icon: StatusPending, word: 'Not reported' },
} as const;

/** A gate status as an icon and a word, never colour alone. */
export function GateStatusLabel(props: { status: string }) {
  const { Icon, word } =
    LABELS[props.status as keyof typeof LABELS] ?? LABELS.pending;
  return <Icon>{word}</Icon>;
}
