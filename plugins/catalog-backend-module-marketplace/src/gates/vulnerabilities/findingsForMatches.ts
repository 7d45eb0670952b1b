import {
  FINDING_SEVERITIES,
  severityRank,
  type GateFinding,
} from '@microapps/plugin-marketplace-common';
import type { OsvMatch, UnreadableVersion } from './matchComponents';
import { order } from './versions/order';

const unique = <T>(values: T[]) =>
  values.length < 2 ? values : [...new Set(values)];

/**
 * Turns matches into findings: one per (advisory, package) with id
 * `<advisoryId>:<ecosystem>/<name>`, so that an exception for it survives a version bump;
 * several affected versions of one package share it. Components whose version could not
 * be read become `info` findings, since the gate cannot vouch for them. Sorted by severity,
 * then id.
 *
 * @internal
 */
export function findingsForMatches(options: {
  matches: OsvMatch[];
  unreadable: UnreadableVersion[];
}): GateFinding[] {
  const groups = new Map<string, OsvMatch[]>();
  for (const match of options.matches) {
    const { ecosystem, name } = match.component;
    const id = `${match.advisory.id}:${ecosystem}/${name}`;
    const group = groups.get(id);
    if (group) group.push(match);
    else groups.set(id, [match]);
  }

  const findings: GateFinding[] = [];
  for (const [id, group] of groups) {
    const { advisory, component } = group[0];
    const versions = unique(
      group.map(m => `${component.name}@${m.component.version}`),
    );
    const fixes = unique(group.flatMap(m => (m.fixed ? [m.fixed] : [])));
    const inner = unique(
      group.flatMap(m =>
        m.affectedPackage === component.name ? [] : [m.affectedPackage],
      ),
    );
    const parts = [
      `${versions.join(', ')} ${
        versions.length === 1 ? 'is' : 'are'
      } affected by ${advisory.id}${
        advisory.summary ? `: ${advisory.summary}` : ''
      }`,
    ];
    if (inner.length) parts.push(`through its package ${inner.join(', ')}`);
    parts.push(
      fixes.length
        ? `fixed in ${fixes.join(', ')}`
        : 'no fixed version is known',
    );
    if (advisory.severity.source === 'unknown') {
      parts.push('the advisory gives no severity, so medium is assumed');
    } else if (advisory.severity.source === 'cvss') {
      parts.push(
        `severity from CVSS v3 base score ${advisory.severity.score?.toFixed(
          1,
        )}`,
      );
    }
    findings.push({
      id,
      severity: advisory.severity.severity,
      message: parts.join('; '),
      location: unique(group.map(m => m.component.purl)).join(', '),
      url: `https://osv.dev/vulnerability/${encodeURIComponent(advisory.id)}`,
    });
  }

  for (const { component, scheme, advisoryIds } of options.unreadable) {
    findings.push({
      id: `unreadable-version:${component.ecosystem}/${component.name}@${component.version}`,
      severity: 'info',
      message: `The version '${component.version}' of ${
        component.name
      } is not a valid ${scheme} version, so ${advisoryIds.length} advisor${
        advisoryIds.length === 1 ? 'y' : 'ies'
      } (${advisoryIds.slice(0, 5).join(', ')}${
        advisoryIds.length > 5 ? ', …' : ''
      }) could not be checked`,
      location: component.purl,
    });
  }

  const rank = Object.fromEntries(
    FINDING_SEVERITIES.map(s => [s, severityRank(s)]),
  );
  return findings.sort(
    (a, b) => rank[b.severity] - rank[a.severity] || order(a.id, b.id),
  );
}
