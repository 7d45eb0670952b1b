import type { lintSource } from '@secretlint/core';
import type { rules } from '@secretlint/secretlint-rule-preset-recommend';
import { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The parts of secretlint the scan uses. @internal */
export interface Secretlint {
  lintSource: typeof lintSource;
  /** The rules of the recommended preset. */
  presetRules: typeof rules;
  /** Version of the recommended preset; a new version may find more. */
  presetVersion: string;
}

let loading: Promise<Secretlint> | undefined;

/**
 * Loads secretlint once; its packages are ESM-only and this package is CommonJS.
 *
 * @internal
 */
export function loadSecretlint(): Promise<Secretlint> {
  loading ??= importSecretlint().catch(error => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function importSecretlint(): Promise<Secretlint> {
  const [core, preset] = await Promise.all([
    importModule<typeof import('@secretlint/core')>('@secretlint/core'),
    importModule<typeof import('@secretlint/secretlint-rule-preset-recommend')>(
      '@secretlint/secretlint-rule-preset-recommend',
    ),
  ]);
  await disableProfiler();
  return {
    lintSource: core.lintSource,
    presetRules: preset.rules,
    // JSON needs no ESM loading in any runtime.
    presetVersion:
      require('@secretlint/secretlint-rule-preset-recommend/package.json')
        .version,
  };
}

/**
 * secretlint's core records about a hundred performance marks per file in a profiler that is
 * on by default and never clears them: a leak in a long-running backend. The profiler is the
 * core's own dependency, so it is resolved from the core to reach the very instance it uses.
 */
async function disableProfiler(): Promise<void> {
  const fromCore = createRequire(require.resolve('@secretlint/core'));
  const profiler = await importModule<{
    secretLintProfiler: { setEnabled(enabled: boolean): void };
  }>(fromCore.resolve('@secretlint/profiler'));
  profiler.secretLintProfiler.setEnabled(false);
}

/** import() of an ESM module by package name or absolute path, in Node.js and in Jest. */
async function importModule<T>(specifier: string): Promise<T> {
  try {
    return await import(
      isAbsolute(specifier) ? pathToFileURL(specifier).href : specifier
    );
  } catch (error) {
    // ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING(_FLAG), depending on the Node.js version.
    const code = String((error as { code?: unknown }).code);
    if (!code.startsWith('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING')) {
      throw error;
    }
    // Jest without --experimental-vm-modules has no import(); its transform turns ESM
    // packages into CommonJS, so require() works there instead.
    return require(specifier);
  }
}
