import crypto from 'node:crypto';
import {
  FINDING_SEVERITIES,
  type FindingSeverity,
  type GateFinding,
} from '@microapps/plugin-marketplace-common';

/**
 * Severity of a violation that names none (or one that is not a known severity).
 *
 * @internal
 */
export const DEFAULT_OPA_SEVERITY: FindingSeverity = 'high';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toSeverity(value: unknown): FindingSeverity {
  const severity = typeof value === 'string' ? value.toLowerCase() : undefined;
  return FINDING_SEVERITIES.find(s => s === severity) ?? DEFAULT_OPA_SEVERITY;
}

// Without an id of its own, a violation is known by its message, whatever its position.
function messageId(message: string): string {
  return `opa-${crypto
    .createHash('sha256')
    .update(message)
    .digest('hex')
    .slice(0, 12)}`;
}

/**
 * Turns OPA violations (strings, or objects with id, msg or message, severity) into findings.
 *
 * @internal
 */
export function opaViolationsToFindings(options: {
  violations: unknown[];
  location: string;
}): GateFinding[] {
  // ids are stable (the violation's own, else a hash of its message); a repeated id gets a
  // `#n` suffix so each finding can be waived on its own
  const { violations, location } = options;
  const seen = new Map<string, number>();
  return violations.map(violation => {
    const record = isRecord(violation) ? violation : undefined;
    const text = record ? record.msg ?? record.message : violation;
    const message =
      typeof text === 'string' && text
        ? text
        : `OPA violation: ${JSON.stringify(violation)}`;
    const baseId =
      typeof record?.id === 'string' && record.id
        ? record.id
        : messageId(message);
    const count = (seen.get(baseId) ?? 0) + 1;
    seen.set(baseId, count);
    return {
      id: count === 1 ? baseId : `${baseId}#${count}`,
      severity: toSeverity(record?.severity),
      message,
      location,
    };
  });
}
