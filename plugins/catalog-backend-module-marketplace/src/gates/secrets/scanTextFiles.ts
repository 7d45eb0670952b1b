import type { GateFinding } from '@microapps/plugin-marketplace-common';
import { extname } from 'node:path';
import { forEachConcurrently } from './forEachConcurrently';
import { formatMegabytes } from './formatMegabytes';
import { loadSecretlint } from './loadSecretlint';
import { findingsFromMessages } from './secretFindings';
import { createSecretlintConfig } from './secretlintConfig';
import {
  DEFAULT_SECRET_SCAN_LIMITS,
  SecretScanLimits,
  SecretScanRuleSetting,
} from './secretScanOptions';
import { isVendoredPath, looksBinary } from './sourceFileFilters';
import { BOUND_KEYS } from '../../bounds/keys';

/**
 * A file to scan, shaped like the files of a `GateTree`.
 *
 * @public
 */
export interface SecretScanFile {
  /** Path within the tree, `/`-separated. */
  path: string;
  content(): Promise<Buffer>;
}

/**
 * What a secret scan found and covered.
 *
 * @public
 */
export interface SecretScanResult {
  /** Secretlint findings and `info` findings for skipped large files, ordered by path. */
  findings: GateFinding[];
  /** Text files scanned and their total size. */
  filesScanned: number;
  bytesScanned: number;
  skipped: { vendored: number; binary: number; tooLarge: number };
  /** Set when the scan stopped before covering the tree; the findings are then partial. */
  incomplete?: string;
}

/**
 * Scans files for credentials with secretlint's recommended preset, within the given bounds
 * and until the signal aborts. Vendored folders and binary files are skipped.
 *
 * @public
 */
export async function scanTextFiles(options: {
  files: readonly SecretScanFile[];
  limits?: Partial<SecretScanLimits>;
  /** Settings for rules of the preset; they override the gate's defaults for the same rule. */
  rules?: readonly SecretScanRuleSetting[];
  signal?: AbortSignal;
  /** Files read and scanned at a time; defaults to 4. */
  concurrency?: number;
}): Promise<SecretScanResult> {
  const limits = { ...DEFAULT_SECRET_SCAN_LIMITS, ...options.limits };
  const candidates = options.files
    .filter(file => !isVendoredPath({ path: file.path }))
    .sort((a, b) => (a.path < b.path ? -1 : Number(a.path > b.path)));
  const result: SecretScanResult = {
    findings: [],
    filesScanned: 0,
    bytesScanned: 0,
    skipped: {
      vendored: options.files.length - candidates.length,
      binary: 0,
      tooLarge: 0,
    },
  };
  if (candidates.length > limits.maxFiles) {
    result.incomplete = `source tree has ${candidates.length} files, more than the limit of ${limits.maxFiles} (${BOUND_KEYS.secrets}.maxFiles)`;
    return result;
  }

  const secretlint = await loadSecretlint();
  const config = createSecretlintConfig({
    presetRules: secretlint.presetRules,
    settings: options.rules ?? [],
  });
  // Findings are kept per file and joined in path order, whatever order the lanes finish in.
  const findingsByFile: GateFinding[][] = candidates.map(() => []);
  let processed = 0;
  let totalBytes = 0;

  await forEachConcurrently({
    items: candidates,
    concurrency: options.concurrency ?? 4,
    worker: async (file, index) => {
      if (result.incomplete) {
        return;
      }
      if (options.signal?.aborted) {
        result.incomplete = `time budget ran out after ${processed} of ${
          candidates.length
        } files (${formatMegabytes({ bytes: result.bytesScanned })} scanned)`;
        return;
      }
      const buffer = await file.content();
      totalBytes += buffer.length;
      if (totalBytes > limits.maxTotalBytes) {
        result.incomplete = `source tree larger than the limit of ${limits.maxTotalBytes} bytes (${BOUND_KEYS.secrets}.maxTotalBytes)`;
        return;
      }
      if (buffer.length > limits.maxFileBytes) {
        result.skipped.tooLarge += 1;
        findingsByFile[index].push({
          id: `too-large:${file.path}`,
          severity: 'info',
          message: `Not scanned: ${buffer.length} bytes is more than the limit of ${limits.maxFileBytes} (${BOUND_KEYS.secrets}.maxFileBytes)`,
          location: file.path,
        });
      } else if (looksBinary({ content: buffer })) {
        result.skipped.binary += 1;
      } else {
        // secretlint drops a BOM itself; dropping it here keeps its ranges pointing into `content`.
        const text = buffer.toString('utf8');
        const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
        const lint = await secretlint.lintSource({
          source: {
            filePath: file.path,
            content,
            ext: safeExtension({ path: file.path }),
            contentType: 'text',
          },
          options: { config, noPhysicFilePath: true },
        });
        findingsByFile[index] = findingsFromMessages({
          path: file.path,
          content,
          messages: lint.messages,
        });
        result.filesScanned += 1;
        result.bytesScanned += buffer.length;
      }
      processed += 1;
    },
  });
  result.findings = findingsByFile.flat();
  return result;
}

/**
 * The extension secretlint sees. The preset's GCP rule reads `.p12` files from the local disk
 * by their path, which here is a path in someone else's tree: those are passed without one.
 */
function safeExtension(options: { path: string }): string {
  const ext = extname(options.path).toLowerCase();
  return ext === '.p12' ? '' : ext;
}
