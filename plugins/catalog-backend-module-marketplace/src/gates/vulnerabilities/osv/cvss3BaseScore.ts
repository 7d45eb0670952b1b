// CVSS v3.0/v3.1 base metrics and weights, from the FIRST specification (section 7.4).
const WEIGHTS: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  PR: { N: 0.85, L: 0.62, H: 0.27 },
  UI: { N: 0.85, R: 0.62 },
  S: { U: 0, C: 0 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};
/** Privileges Required weighs more when the scope changes. */
const PR_SCOPE_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };
const VECTOR = /^CVSS:3\.([01])\/(.+)$/;

/** CVSS 3.1's Roundup, which avoids floating point artefacts such as 4.000000001 → 4.1. */
function roundUp31(value: number): number {
  const integer = Math.round(value * 100000);
  return integer % 10000 === 0
    ? integer / 100000
    : (Math.floor(integer / 10000) + 1) / 10;
}

/** CVSS 3.0's round up to one decimal. */
function roundUp30(value: number): number {
  return Math.ceil(value * 10) / 10;
}

/**
 * The base score (0.0–10.0) of a CVSS v3.0 or v3.1 vector such as
 * `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` (9.8), or undefined when the vector is not
 * valid: a missing, repeated or unknown base metric. Temporal and environmental metrics
 * are allowed and do not change the base score.
 *
 * @public
 */
export function cvss3BaseScore(options: {
  vector: string;
}): number | undefined {
  const match = VECTOR.exec(options.vector.trim());
  if (!match) return undefined;
  const minor = match[1];
  const metrics: Record<string, string> = {};
  for (const part of match[2].split('/')) {
    const [key, value, more] = part.split(':');
    if (value === undefined || more !== undefined || key in metrics)
      return undefined;
    metrics[key] = value;
  }
  for (const [key, values] of Object.entries(WEIGHTS)) {
    if (!(metrics[key] in values)) return undefined;
  }
  const changed = metrics.S === 'C';
  const w = (key: string) => WEIGHTS[key][metrics[key]];
  const pr = changed ? PR_SCOPE_CHANGED[metrics.PR] : w('PR');

  const iss = 1 - (1 - w('C')) * (1 - w('I')) * (1 - w('A'));
  const impact = changed
    ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15)
    : 6.42 * iss;
  const exploitability = 8.22 * w('AV') * w('AC') * pr * w('UI');
  if (impact <= 0) return 0;
  const roundUp = minor === '1' ? roundUp31 : roundUp30;
  return changed
    ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
    : roundUp(Math.min(impact + exploitability, 10));
}
