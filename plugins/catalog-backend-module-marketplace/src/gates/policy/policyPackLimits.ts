import type { Config } from '@backstage/config';
import { BOUND_KEYS } from '../../bounds/keys';
import { readPositiveInteger } from '../../bounds/readPositiveInteger';
import { DEFAULT_MAX_LIST_READS } from './createPolicyGates';

/**
 * Bounds on a policy pack file, `marketplace.policy.limits`. A pack over one does not load:
 * its gate reports `error` naming the pack, the limit and the key.
 *
 * @public
 */
export interface PolicyPackLimits {
  /** Bytes of the pack file; a larger file is not parsed. */
  maxPackBytes: number;
  /** Rules in one pack. */
  maxRules: number;
  /** Characters of one rule's `expr`; a longer one is not compiled. */
  maxExpressionLength: number;
}

/**
 * The defaults of {@link PolicyPackLimits}: far above a readable pack (the example pack has
 * 8 rules in 5 KiB, its longest expression is under 130 characters), far below what slows
 * the loader down.
 *
 * @public
 */
export const DEFAULT_POLICY_PACK_LIMITS: Readonly<PolicyPackLimits> =
  Object.freeze({
    maxPackBytes: 1024 * 1024,
    maxRules: 200,
    maxExpressionLength: 4096,
  });

/**
 * The problem of a pack file over `maxPackBytes`.
 *
 * @internal
 */
export function packTooLargeMessage(options: {
  bytes: number;
  maxPackBytes: number;
}): string {
  return `the file is ${options.bytes} bytes, more than the limit of ${options.maxPackBytes} bytes (${BOUND_KEYS.policy}.maxPackBytes); it was not parsed`;
}

/**
 * Reads `marketplace.policy.limits` and `marketplace.policy.maxListReads` from the policy
 * section; a value that is not a positive integer throws an InputError naming the key.
 *
 * @internal
 */
export function readPolicyLimits(options: {
  /** `marketplace.policy`. */
  config: Config | undefined;
}): PolicyPackLimits & { maxListReads: number } {
  const limits = options.config?.getOptionalConfig('limits');
  const read = (key: keyof PolicyPackLimits) =>
    readPositiveInteger({
      config: limits,
      key,
      prefix: BOUND_KEYS.policy,
      fallback: DEFAULT_POLICY_PACK_LIMITS[key],
    });
  return {
    maxPackBytes: read('maxPackBytes'),
    maxRules: read('maxRules'),
    maxExpressionLength: read('maxExpressionLength'),
    maxListReads: readPositiveInteger({
      config: options.config,
      key: 'maxListReads',
      prefix: 'marketplace.policy',
      fallback: DEFAULT_MAX_LIST_READS,
    }),
  };
}
