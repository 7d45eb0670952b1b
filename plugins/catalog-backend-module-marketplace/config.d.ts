import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

/** How a gate's failure counts at each tier. */
type Enforcement = {
  /** Default warn. */
  discover?: 'off' | 'warn' | 'block';
  /** Default block. */
  vetted?: 'off' | 'warn' | 'block';
  /** Default block. */
  enterprise?: 'off' | 'warn' | 'block';
};

export interface Config {
  marketplace?: {
    reading?: {
      /**
       * Lets the URLs an entity names (its SBOM, its source tree) point at this machine
       * (loopback, 0.0.0.0), link-local addresses (169.254.0.0/16, fe80::/10) and cloud
       * metadata services. Default false: they are refused even when backend.reading.allow
       * lists their host, and the gate reports an error. For development setups that serve
       * repositories from localhost only.
       */
      allowInternalTargets?: boolean;
      /**
       * How long one read of a target an entity names (its SBOM, its source tree) may take,
       * in milliseconds, from the host check to the last byte (for a tree, until its files
       * are listed). A slower read is aborted and the gate reports an error naming the
       * target and this limit. Keep it below the 20 s each gate has per app. Default 15000.
       */
      timeoutMs?: number;
    };
    cost?: {
      /** Currency of forecasts and actual costs. Default EUR. */
      currency?: string;
      /**
       * The cost centers apps may name (the cost gate). Ids, or objects with an id and a
       * display name. Without it the cost gate warns that it cannot check.
       */
      centers?: Array<string | { id: string; name?: string }>;
    };
    gates?: {
      metadata?: { enforcement?: Enforcement };
      sbom?: {
        /** Largest SBOM file read, in bytes. Default 20971520 (20 MiB). */
        maxBytes?: number;
        /** Most components accepted in one SBOM. Default 50000. */
        maxComponents?: number;
        /**
         * Deepest nesting of objects and arrays in an SBOM (`{}` is 1; nested CycloneDX
         * components add 2 per level), checked before the SBOM is parsed. Default 128.
         */
        maxDepth?: number;
        enforcement?: Enforcement;
      };
      vulnerabilities?: {
        /**
         * The OSV advisory feed: a folder of OSV JSON files or a zip as OSV publishes per
         * ecosystem, as a path relative to the backend's working directory or a URL read
         * through UrlReader. Without it the gate reports an error for every app.
         */
        feed?: string;
        /** When the feed is reloaded. Default every 6 hours. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Findings at or above this severity fail the gate; below it warn. Default high. */
        blockSeverity?: 'critical' | 'high' | 'medium' | 'low';
        /**
         * Bounds on loading the feed. Over maxEntries or maxTotalBytes, or over a zip's
         * declared sizes, the load fails (the previous index is kept); an advisory over
         * maxEntryBytes (in a folder) or maxDepth is skipped and logged with its file name.
         */
        limits?: {
          /** Most advisory files in the folder or entries in the zip. Default 500000. */
          maxEntries?: number;
          /**
           * Largest advisory file, uncompressed; a zip entry declared larger refuses the zip.
           * Default 8388608 (8 MiB).
           */
          maxEntryBytes?: number;
          /**
           * Most bytes of all advisories together, uncompressed; also the largest zip file.
           * Default 1073741824 (1 GiB).
           */
          maxTotalBytes?: number;
          /** Deepest nesting of objects and arrays in one advisory. Default 64. */
          maxDepth?: number;
          /**
           * How long reading a feed given as a URL may take, in milliseconds (download and
           * extraction). Default 300000 (5 minutes).
           */
          timeoutMs?: number;
        };
        enforcement?: Enforcement;
      };
      licenses?: {
        /** SPDX ids allowed. Default a permissive list (MIT, Apache-2.0, BSD, ISC, ...). [] allows all that is not denied. */
        allow?: string[];
        /** SPDX ids denied; they win over allow. Default the GPL/AGPL family, SSPL-1.0, BUSL-1.1. */
        deny?: string[];
        /** What a missing, unparseable or non-SPDX license is. Default warn. */
        unknown?: 'warn' | 'fail';
        enforcement?: Enforcement;
      };
      secrets?: {
        /** Most files scanned in a source tree. Default 5000. */
        maxFiles?: number;
        /** Larger files are not scanned and are listed. Default 1048576 (1 MiB). */
        maxFileBytes?: number;
        /** Most bytes read from a source tree. Default 52428800 (50 MiB). */
        maxTotalBytes?: number;
        /** Settings of secretlint rules of the recommended preset, by rule id. */
        rules?: Array<{
          id: string;
          severity?: 'error' | 'warning' | 'info';
          disabled?: boolean;
          allowMessageIds?: string[];
          options?: { [key: string]: unknown };
        }>;
        enforcement?: Enforcement;
      };
      privileges?: { enforcement?: Enforcement };
      cost?: { enforcement?: Enforcement };
    };
    policy?: {
      /** Policy pack files (YAML), relative to the backend's working directory. */
      packs?: string[];
      /** Most list elements one rule evaluation may read. Default 1000000. */
      maxListReads?: number;
      /** Bounds on a pack file; a pack over one does not load, and its gate reports an error. */
      limits?: {
        /** Largest pack file, in bytes; a larger one is not read. Default 1048576 (1 MiB). */
        maxPackBytes?: number;
        /** Most rules in one pack. Default 200. */
        maxRules?: number;
        /** Longest `expr` of a rule, in characters. Default 4096. */
        maxExpressionLength?: number;
      };
      /** Sends the policy input document to Open Policy Agent as well. */
      opa?: {
        /** e.g. http://localhost:8181 */
        baseUrl: string;
        /** The rule whose value is the list of violations, e.g. microapps/gates/deny. */
        packagePath: string;
        /** How long OPA may take to answer, in milliseconds. Default 2000. */
        timeoutMs?: number;
      };
    };
  };
}
