import type { Config } from '@backstage/config';

/** What the governance policy reads from `marketplace.*`, in lower case. */
export interface PolicyConfig {
  admins: string[];
  reviewers: Record<string, string[]>;
}

export function readPolicyConfig(config: Config): PolicyConfig {
  const lower = (refs: string[]) => refs.map(r => r.toLocaleLowerCase('en-US'));
  const reviewers: Record<string, string[]> = {};
  const section = config.getOptionalConfig('marketplace.reviewers');
  for (const stage of section?.keys() ?? []) {
    reviewers[stage] = lower(section!.getStringArray(stage));
  }
  return {
    admins: lower(config.getOptionalStringArray('marketplace.admins') ?? []),
    reviewers,
  };
}
