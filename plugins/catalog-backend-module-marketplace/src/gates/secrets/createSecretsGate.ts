import { stringifyError } from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import { ANNOTATION_SOURCE_LOCATION } from '@microapps/plugin-marketplace-common';
import type {
  GateEvaluation,
  PolicyGate,
} from '@microapps/plugin-marketplace-node';
import { createHash } from 'node:crypto';
import { formatMegabytes } from './formatMegabytes';
import { loadSecretlint } from './loadSecretlint';
import { scanTextFiles, SecretScanResult } from './scanTextFiles';
import { readSecretScanOptions } from './secretScanOptions';

/**
 * The `secrets` gate: scans the app's source tree (annotation
 * `microapps.dev/source-location`) for credentials with secretlint's recommended preset.
 *
 * @public
 */
export function createSecretsGate(
  options: {
    /** Files read and scanned at a time; defaults to 4. */
    concurrency?: number;
  } = {},
): PolicyGate {
  return {
    id: 'secrets',
    title: 'Secrets',
    async evaluate({ entity }, context) {
      const annotation =
        entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION]?.trim();
      // Backstage writes source locations as `url:<target>`; the reader wants the target.
      const target = annotation?.replace(/^url:/, '').trim();
      if (!target) {
        return {
          status: 'not-applicable',
          findings: [],
          summary: 'no source location',
        };
      }
      const fail = (error: unknown): GateEvaluation => ({
        status: 'error',
        findings: [],
        error: stringifyError(error),
      });

      let scanOptions;
      let tree;
      let presetVersion;
      try {
        scanOptions = readSecretScanOptions({ config: context.config });
        ({ presetVersion } = await loadSecretlint());
        tree = await context.reader.readTree(target);
      } catch (error) {
        return fail(error);
      }

      // Keyed by what decides the result: the tree's content and the scan's settings.
      const cacheKey = `secrets:${createHash('sha256')
        .update(
          JSON.stringify({
            url: tree.url,
            etag: tree.etag,
            presetVersion,
            ...scanOptions,
          }),
        )
        .digest('hex')}`;
      // Without an etag an unchanged tree cannot be told from a changed one.
      const cached = tree.etag
        ? await context.cache.get<JsonValue>(cacheKey)
        : undefined;
      if (cached) {
        return cached as unknown as GateEvaluation;
      }

      let scan: SecretScanResult;
      try {
        scan = await scanTextFiles({
          files: await tree.files(),
          limits: scanOptions.limits,
          rules: scanOptions.rules,
          signal: context.signal,
          concurrency: options.concurrency,
        });
      } catch (error) {
        return fail(error);
      }
      const evaluation = toEvaluation({ scan, inputDigest: tree.etag });
      // Incomplete scans are not cached: a time-out may not happen again.
      if (tree.etag && !scan.incomplete) {
        await context.cache.set(cacheKey, evaluation as unknown as JsonValue);
      }
      return evaluation;
    },
  };
}

function toEvaluation(options: {
  scan: SecretScanResult;
  inputDigest: string;
}): GateEvaluation {
  const { scan, inputDigest } = options;
  const credentials = scan.findings.filter(
    f => f.severity === 'critical',
  ).length;
  const others = scan.findings.length - credentials;
  const megabytes = formatMegabytes({ bytes: scan.bytesScanned });
  const scanned = `scanned ${plural(scan.filesScanned, 'file')}, ${megabytes}`;
  const facts = {
    filesScanned: scan.filesScanned,
    bytesScanned: scan.bytesScanned,
    credentials,
  };
  if (scan.incomplete) {
    // Partial findings are still worth showing; the status never passes.
    return {
      status: 'error',
      findings: scan.findings,
      error: scan.incomplete,
      summary: scan.incomplete,
      inputDigest,
    };
  }
  const counts = [
    credentials && plural(credentials, 'credential'),
    others && plural(others, 'other finding'),
  ].filter(Boolean);
  let status: GateEvaluation['status'] = 'pass';
  if (credentials) {
    status = 'fail';
  } else if (others) {
    // Findings that are not credentials, or files left unscanned: worth a look, not a pass.
    status = 'warn';
  }
  return {
    status,
    findings: scan.findings,
    summary: counts.length ? `${counts.join(', ')}; ${scanned}` : scanned,
    facts,
    inputDigest,
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
