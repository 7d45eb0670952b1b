import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import type {
  GateEnforcement,
  GateFinding,
  GateStatus,
  MicroAppEntityV1alpha1,
  TierId,
} from '@microapps/plugin-marketplace-common';

/**
 * One component of an app's SBOM, normalised from CycloneDX or SPDX.
 *
 * @public
 */
export interface SbomComponent {
  /** The component's name as the SBOM gives it. */
  name: string;
  /** The component's version, when the SBOM gives one. */
  version?: string;
  /** Package URL, e.g. `pkg:npm/lodash@2.4.2`; the key for vulnerability matching. */
  purl?: string;
  /** SPDX license expressions declared for the component (may be empty). */
  licenses: string[];
}

/**
 * Facts the `sbom` gate collected, read by the `vulnerabilities`, `licenses` and policy gates.
 *
 * @public
 */
export interface SbomFacts {
  /** The SBOM's format. */
  format: 'CycloneDX' | 'SPDX';
  /** The version of the format's specification the SBOM declares. */
  specVersion: string;
  /** SHA-256 (hex) of the SBOM file as read. */
  sha256: string;
  /** Every component the SBOM lists. */
  components: SbomComponent[];
}

/**
 * Facts shared between the gates of one evaluation. Each gate may add its own under its id;
 * the policy gates see all of them in their input document.
 *
 * @public
 */
export interface GateFacts {
  /** What the `sbom` gate collected, when it ran and read an SBOM. */
  sbom?: SbomFacts;
  /** The facts of any other gate, under its id. */
  [gateId: string]: unknown;
}

/**
 * What a gate evaluates.
 *
 * @public
 */
export interface GateInput {
  /** The app being evaluated. */
  entity: MicroAppEntityV1alpha1;
  /**
   * The tier the app is evaluated against: the open promotion's target tier, else the higher
   * of its requested and its effective tier.
   */
  tier: TierId;
  /** Facts collected by the gates that ran before this one (see `PolicyGate.after`). */
  facts: GateFacts;
}

/**
 * A bounded read of a file next to the entity or of a URL, through Backstage's UrlReader.
 *
 * @public
 */
export interface GateFile {
  /** The resolved URL that was read. */
  url: string;
  /** The file's bytes; a file above the size limit throws instead. */
  content: Buffer;
  /** Pass it to the next read of the same target to skip an unchanged file. */
  etag?: string;
}

/**
 * A tree of files, e.g. the app's source tree for the secret scan.
 *
 * @public
 */
export interface GateTree {
  /** The resolved URL of the tree's root. */
  url: string;
  /** Changes when any file of the tree changes. */
  etag: string;
  /** The tree's files, with paths relative to its root. */
  files(): Promise<Array<{ path: string; content(): Promise<Buffer> }>>;
}

/**
 * Reads what an entity points at. Relative targets resolve against the entity's own
 * location; reads are bounded in size and time and refuse what `backend.reading.allow` and
 * the marketplace's own rules refuse. Failures throw errors whose message names the target.
 *
 * @public
 */
export interface GateReader {
  /**
   * Reads a file. With `etag`, a file that did not change since the read that returned that
   * etag is not read again: a `NotModifiedError` (from `@backstage/errors`) is thrown, as
   * Backstage's UrlReader does.
   */
  readFile(
    target: string,
    options?: { maxBytes?: number; etag?: string },
  ): Promise<GateFile>;
  /** Reads a folder next to the entity, or a URL that UrlReader can read as a tree. */
  readTree(target: string): Promise<GateTree>;
}

/**
 * A small key/value cache for expensive gate work, keyed by a hash of the inputs.
 *
 * @public
 */
export interface GateCache {
  /** The value stored under the key, or undefined when absent or expired. Do not mutate it. */
  get<T extends JsonValue>(key: string): Promise<T | undefined>;
  /** Stores a value; `ttlMs` defaults to the cache's own lifetime (a day for the built-in one). */
  set(
    key: string,
    value: JsonValue,
    options?: { ttlMs?: number },
  ): Promise<void>;
}

/**
 * Services a gate may use.
 *
 * @public
 */
export interface GateContext {
  /** A logger for the gate's own messages. */
  logger: LoggerService;
  /** Reads files and trees the entity points at. */
  reader: GateReader;
  /** A cache shared by all gates; prefix keys with the gate's id. */
  cache: GateCache;
  /** The gate's configuration, `marketplace.gates.<id>` (empty when not configured). */
  config: Config;
  /** Aborted when the gate runs out of time. */
  signal: AbortSignal;
}

/**
 * What a gate concluded. The enforcement is not the gate's business: it comes from the tier.
 *
 * @public
 */
export interface GateEvaluation {
  /** What the gate concluded. */
  status: GateStatus;
  /** The problems the gate found; empty when it found none. */
  findings: GateFinding[];
  /** One line for lists, e.g. "2 critical, 5 high". */
  summary?: string;
  /** Why the gate could not evaluate; required with status `error`. */
  error?: string;
  /** Facts for later gates and the policy input document, stored under the gate's id. */
  facts?: JsonValue;
  /**
   * What this gate read beyond the entity, e.g. the SBOM's SHA-256 or the advisory feed's
   * version. Part of the run's input hash.
   */
  inputDigest?: string;
}

/**
 * An automated policy gate. Built-in gates and the ones other modules add through
 * `policyGatesExtensionPoint` implement it.
 *
 * @public
 */
export interface PolicyGate {
  /** Stable id used by policies, exceptions and the UI, e.g. `sbom` or `policy:pack/rule`. */
  readonly id: string;
  /** The name shown in the UI. */
  readonly title: string;
  /** Ids of gates whose facts this gate reads; those run first. */
  readonly after?: string[];
  /**
   * How a failure of this gate counts at a tier. Without it the marketplace's default
   * applies: `warn` in Discover, `block` in Vetted and Enterprise, unless
   * `marketplace.gates.<id>.enforcement.<tier>` says otherwise. Policy rules use it for
   * their per-tier enforcement.
   */
  enforcementFor?(tier: TierId): GateEnforcement;
  /** Evaluates one app. Throwing counts as status `error`. */
  evaluate(input: GateInput, context: GateContext): Promise<GateEvaluation>;
}
