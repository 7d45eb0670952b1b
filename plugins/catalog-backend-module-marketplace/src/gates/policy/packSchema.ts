import { z } from 'zod';
import {
  FINDING_SEVERITIES,
  type FindingSeverity,
} from '@microapps/plugin-marketplace-common';

/**
 * Pack names and rule ids, which become part of gate ids.
 *
 * @internal
 */
export const POLICY_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const name = z
  .string()
  .max(63)
  .regex(
    POLICY_NAME_PATTERN,
    'must be lowercase letters and digits, separated by single dashes',
  );

const enforcement = z.enum(['off', 'warn', 'block']);

const rule = z
  .object({
    id: name,
    title: z.string().min(1),
    expr: z.string().min(1),
    message: z.string().min(1),
    severity: z.enum(
      FINDING_SEVERITIES as [FindingSeverity, ...FindingSeverity[]],
    ),
    enforcement: z
      .object({
        discover: enforcement.optional(),
        vetted: enforcement.optional(),
        enterprise: enforcement.optional(),
      })
      .strict()
      .optional(),
    url: z
      .string()
      .url()
      .regex(/^https?:\/\//i, 'must be an http or https URL')
      .optional(),
  })
  .strict();

/**
 * The structure of a policy pack file; `expr` is compiled separately.
 *
 * @internal
 */
export const policyPackSchema = z
  .object({
    apiVersion: z.literal('microapps.dev/v1alpha1'),
    kind: z.literal('PolicyPack'),
    metadata: z
      .object({
        name,
        description: z.string().optional(),
      })
      .strict(),
    rules: z.array(rule).min(1),
  })
  .strict();
