import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { GateResult } from '@microapps/plugin-marketplace-common';

const LABELS = {
  pass: { Icon: StatusOK, word: 'Passed' },
  warn: { Icon: StatusWarning, word: 'Warning' },
  fail: { Icon: StatusError, word: 'Failed' },
  pending: { Icon: StatusPending, word: 'Not reported' },
} as const;

/** A run's gate status as an icon and a word, never colour alone. */
export function GateStatusLabel(props: { status: string }) {
  const { Icon, word } =
    LABELS[props.status as keyof typeof LABELS] ?? LABELS.pending;
  return <Icon>{word}</Icon>;
}

/** One gate's result in the shared vocabulary, including Excepted and Error. */
export function GateResultStatus(props: {
  result: Pick<GateResult, 'status' | 'excepted'>;
}) {
  const { status, excepted } = props.result;
  if (excepted) return <StatusWarning>Excepted</StatusWarning>;
  if (status === 'error') return <StatusError>Error</StatusError>;
  if (status === 'not-applicable') {
    return <StatusAborted>Not applicable</StatusAborted>;
  }
  return <GateStatusLabel status={status} />;
}
