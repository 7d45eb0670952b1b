import type { GateFinding } from '@microapps/plugin-marketplace-common';
import type { lintSource } from '@secretlint/core';
import { maskSecretsInMessage, secretsInMessageData } from './maskSecrets';

/** One message of a secretlint result. @internal */
export type SecretlintMessage = Awaited<
  ReturnType<typeof lintSource>
>['messages'][number];

/**
 * Turns secretlint's messages for one file into findings with the secrets masked. Messages
 * of one rule on one line share a finding, so that finding ids stay unique and stable.
 *
 * @internal
 */
export function findingsFromMessages(options: {
  path: string;
  /** The content secretlint scanned; the messages' ranges point into it. */
  content: string;
  messages: SecretlintMessage[];
}): GateFinding[] {
  const { path, content } = options;
  const findings = new Map<string, GateFinding>();
  for (const message of options.messages) {
    const { line, column } = message.loc.start;
    const id = `${message.ruleId}:${path}:${line}`;
    const text = maskSecretsInMessage({
      message: message.message,
      secrets: [
        content.slice(message.range[0], message.range[1]),
        ...secretsInMessageData({ data: message.data, content }),
      ],
    });
    const severity = message.severity === 'error' ? 'critical' : 'medium';
    const existing = findings.get(id);
    if (existing) {
      existing.message = `${existing.message}; ${text}`;
      if (severity === 'critical') {
        existing.severity = severity;
      }
      continue;
    }
    findings.set(id, {
      id,
      severity,
      message: text,
      // secretlint's columns start at 0; editors and `file:line:column` links count from 1.
      location: `${path}:${line}:${column + 1}`,
      ...(message.docsUrl ? { url: message.docsUrl } : {}),
    });
  }
  return [...findings.values()];
}
