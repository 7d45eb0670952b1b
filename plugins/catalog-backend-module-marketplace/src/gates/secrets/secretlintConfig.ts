import { InputError } from '@backstage/errors';
import type { lintSource } from '@secretlint/core';
import type { Secretlint } from './loadSecretlint';
import {
  DEFAULT_SECRET_SCAN_RULES,
  SecretScanRuleSetting,
} from './secretScanOptions';

/** The config `lintSource` takes. @internal */
export type SecretlintConfig = Parameters<
  typeof lintSource
>[0]['options']['config'];

/**
 * The secretlint config for a scan: every rule of the recommended preset with the gate's
 * defaults and the given settings applied. The rules are listed one by one rather than as
 * the preset, because secretlint 13 ignores `disabled` for rules inside a preset.
 *
 * @internal
 */
export function createSecretlintConfig(options: {
  presetRules: Secretlint['presetRules'];
  settings: readonly SecretScanRuleSetting[];
}): SecretlintConfig {
  const known = new Set(options.presetRules.map(rule => rule.meta.id));
  const settings = new Map(
    DEFAULT_SECRET_SCAN_RULES.map(setting => [setting.id, setting]),
  );
  for (const setting of options.settings) {
    if (!known.has(setting.id)) {
      throw new InputError(
        `marketplace.gates.secrets.rules: '${setting.id}' is not a rule of the recommended preset`,
      );
    }
    settings.set(setting.id, setting);
  }
  return {
    rules: options.presetRules.map(rule => {
      const setting = settings.get(rule.meta.id);
      return {
        id: rule.meta.id,
        // Rule creators are typed by their own options; settings come from config as JSON.
        rule: rule as SecretlintConfig['rules'][number]['rule'],
        options: setting?.options,
        severity: setting?.severity,
        disabled: setting?.disabled,
        allowMessageIds: setting?.allowMessageIds,
      } as SecretlintConfig['rules'][number];
    }),
  };
}
