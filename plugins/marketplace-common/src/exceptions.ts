import { enforcedStatus, GateFinding, GateResult } from './gates';
import type { StageBlocker } from './promotions';

/** What applying an exception needs to know of it. @public */
export type ExceptionCover = {
  gateId: string;
  findingId: string;
  expiresAt: string;
};

const isBlocking = (finding: GateFinding) => finding.blocking !== false;

/**
 * Marks the findings that valid exceptions cover (`exceptedUntil`), and each failing gate whose
 * blocking findings are all covered (`excepted`). Marks from an earlier application are
 * dropped first, so a lapsed exception stops counting when results are re-read.
 *
 * @public
 */
export function applyExceptions(
  results: GateResult[],
  exceptions: ExceptionCover[],
  now: Date = new Date(),
): GateResult[] {
  const valid = new Map<string, string>();
  for (const e of exceptions) {
    if (new Date(e.expiresAt).getTime() <= now.getTime()) continue;
    const key = `${e.gateId}\u0000${e.findingId}`;
    const known = valid.get(key);
    // with two exceptions for one finding, the later expiry counts
    if (!known || known < e.expiresAt) valid.set(key, e.expiresAt);
  }
  return results.map(({ excepted: _, ...result }) => {
    const findings: GateFinding[] = result.findings.map(
      ({ exceptedUntil: __, ...f }) => {
        const until = valid.get(`${result.gateId}\u0000${f.id}`);
        return until ? { ...f, exceptedUntil: until } : f;
      },
    );
    const failing = result.status === 'fail' || result.status === 'error';
    const blocking = findings.filter(isBlocking);
    const covered =
      failing && blocking.length > 0 && blocking.every(f => f.exceptedUntil);
    return { ...result, findings, ...(covered && { excepted: true }) };
  });
}

/**
 * The gates that block promotion once exceptions are applied: those whose enforced status is
 * `fail`, with the blocking findings no exception covers.
 *
 * @public
 */
export function findBlockers(results: GateResult[]): StageBlocker[] {
  return results
    .filter(r => enforcedStatus(r) === 'fail')
    .map(r => ({
      gateId: r.gateId,
      status: r.status,
      findingIds: r.findings
        .filter(f => isBlocking(f) && !f.exceptedUntil)
        .map(f => f.id),
    }));
}
