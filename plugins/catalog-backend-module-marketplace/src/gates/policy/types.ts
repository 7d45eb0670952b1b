import type {
  FindingSeverity,
  GateEnforcement,
  TierId,
} from '@microapps/plugin-marketplace-common';
import type { JsonObject } from '@backstage/types';
import type { PolicyProgram } from './celProgram';

/**
 * One rule of a policy pack, with its expression compiled.
 *
 * @public
 */
export interface PolicyRule {
  /** Unique within the pack; the gate id is `policy:<pack>/<rule>`. */
  id: string;
  title: string;
  /** CEL expression that is true when the app complies. */
  expr: string;
  /** Shown as the finding when the rule fails. */
  message: string;
  severity: FindingSeverity;
  /** Per tier; tiers left out get the marketplace default (Discover warn, others block). */
  enforcement: Partial<Record<TierId, GateEnforcement>>;
  /** Link to the policy's documentation, put on the finding. */
  url?: string;
  program: PolicyProgram;
}

/**
 * A policy pack that loaded without problems.
 *
 * @public
 */
export interface PolicyPack {
  name: string;
  description?: string;
  /** The file the pack came from, as given to the loader. */
  file: string;
  rules: PolicyRule[];
}

/**
 * Something wrong with a policy pack file; a file with any problem loads no rules.
 *
 * @public
 */
export interface PolicyProblem {
  file: string;
  /** The pack's `metadata.name`, when the file got that far. */
  pack?: string;
  /** The rule's id, or `rules[<index>]` when it has no usable id. */
  rule?: string;
  /** 1-based position in the YAML file. */
  line?: number;
  column?: number;
  /** 1-based position of a CEL error inside the rule's `expr`. */
  exprLine?: number;
  exprColumn?: number;
  message: string;
}

/**
 * What `loadPolicyPacks` returns: the packs that loaded and the problems of those that did not.
 *
 * @public
 */
export interface LoadedPolicyPacks {
  packs: PolicyPack[];
  problems: PolicyProblem[];
}

/**
 * The input document of CEL rules and OPA: what a policy may look at.
 *
 * @public
 */
export interface PolicyInput {
  /** The MicroApp entity as JSON: apiVersion, kind, metadata, spec. */
  app: JsonObject;
  /** The tier the app is evaluated against. */
  tier: TierId;
  /** Facts of the gates that ran before, keyed by gate id. */
  facts: JsonObject;
}
