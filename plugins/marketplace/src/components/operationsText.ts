import {
  DEFAULT_SLA_RESPONSE_MINUTES,
  type AppCostFigures,
  type AppOperationsFlag,
  type AppSlaFigures,
  type SlaTier,
} from '@microapps/plugin-marketplace-common';
import {
  formatDate,
  formatMinutes,
  formatMoney,
  formatPercent,
} from './format';

/** "forecast" or "budget": what the month's actual is compared with. */
export const limitWord = (cost: Pick<AppCostFigures, 'limitKind'>) =>
  cost.limitKind === 'budget' ? 'budget' : 'forecast';

/** "€31.20 of €40.00", or undefined when nothing was imported for the month. */
export function actualOfLimit(
  cost: Pick<AppCostFigures, 'actual' | 'limit'>,
  currency: string,
): string | undefined {
  if (cost.actual === undefined) return undefined;
  return `${formatMoney(cost.actual, currency)} of ${formatMoney(
    cost.limit,
    currency,
  )}`;
}

/** "over forecast" / "within budget"; undefined without actuals. */
export function varianceWord(cost: AppCostFigures): string | undefined {
  if (cost.state === 'no-data') return undefined;
  return `${cost.state === 'over' ? 'over' : 'within'} ${limitWord(cost)}`;
}

/** "+€3.60 (+9 %), over forecast"; undefined without actuals. */
export function varianceText(
  cost: AppCostFigures,
  currency: string,
): string | undefined {
  const word = varianceWord(cost);
  if (!word) return undefined;
  const variance =
    cost.variance ?? Math.round(((cost.actual ?? 0) - cost.limit) * 100) / 100;
  const percent =
    cost.variancePercent === undefined
      ? ''
      : ` (${formatPercent(cost.variancePercent, { signed: true })})`;
  return `${formatMoney(variance, currency, {
    signed: true,
  })}${percent}, ${word}`;
}

/** "Alerts fired: 25 % and 50 % over forecast" or "No overrun alert this month". */
export function alertsText(cost: AppCostFigures): string {
  const fired = cost.alertsFired ?? [];
  if (!fired.length) return 'No overrun alert this month';
  const percents = fired.map(p => formatPercent(p));
  const list =
    percents.length === 1
      ? percents[0]
      : `${percents.slice(0, -1).join(', ')} and ${
          percents[percents.length - 1]
        }`;
  return `Alert${fired.length === 1 ? '' : 's'} fired: ${list} over ${limitWord(
    cost,
  )}`;
}

/** The response target of a tier: the server's, else the default of the tier. */
export function responseTargetMinutes(
  slaTier: string | undefined,
  fromServer?: number,
): number | undefined {
  if (fromServer !== undefined) return fromServer;
  return slaTier ? DEFAULT_SLA_RESPONSE_MINUTES[slaTier as SlaTier] : undefined;
}

/** "S1 · respond within 1 h"; "S4" alone when the target is unknown. */
export function slaTargetText(slaTier: string, targetMinutes?: number): string {
  return targetMinutes === undefined
    ? slaTier
    : `${slaTier} · respond within ${formatMinutes(targetMinutes)}`;
}

/** "1 breach of the 1 h target", "No breaches". */
export function breachesText(count: number, targetMinutes?: number): string {
  if (count === 0) return 'No breaches';
  const noun = count === 1 ? 'breach' : 'breaches';
  return targetMinutes === undefined
    ? `${count} ${noun} of the response target`
    : `${count} ${noun} of the ${formatMinutes(targetMinutes)} target`;
}

/** The SLA state in words. */
export const SLA_STATE_WORDS: Record<AppSlaFigures['state'], string> = {
  met: 'Met',
  breached: 'Breached',
  'no-data': 'No data',
};

/** Why a listing needs attention, in one sentence. */
export function flagText(
  flag: AppOperationsFlag,
  lastActivity?: { at: string; signal: string },
): string {
  switch (flag) {
    case 'no-runbook':
      return 'Enterprise listing without a runbook';
    case 'no-roster':
      return 'Enterprise listing without an on-call roster';
    case 'no-recent-metrics':
      return 'Enterprise listing without metrics reported in the last 30 days';
    case 'idle':
      return lastActivity
        ? `Idle: no activity since ${formatDate(lastActivity.at)} (${
            lastActivity.signal
          })`
        : 'Idle: no recent activity';
    default:
      return String(flag);
  }
}
