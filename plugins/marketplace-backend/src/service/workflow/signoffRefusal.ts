/** Who would sign: the user and every group they count as a member of. */
export interface Signer {
  /** Entity ref of the user, in lower case. */
  user: string;
  /** The membership resolver's claims: the user and their groups, sub-groups included. */
  claims: string[];
}

/**
 * Why this user may not sign off a stage of a request, or `undefined` when they may:
 * separation of duties (not the submitter, not an owner of the app) and membership of the
 * stage's reviewer groups. The one rule behind sign-offs and the stages' `mayReview` flags;
 * the permission policy, the request's status and the stage's state are checked apart.
 */
export function signoffRefusal(options: {
  signer: Signer;
  stage: string;
  submitter: string;
  /** Owners of the app (entity refs, lower case). */
  owners: string[];
  /** Reviewer groups per stage. */
  reviewers: Record<string, string[]>;
}): string | undefined {
  const { signer, stage, submitter, owners, reviewers } = options;
  if (submitter === signer.user) {
    return 'The submitter may not sign off their own request';
  }
  if (signer.claims.some(c => owners.includes(c))) {
    return 'An owner of the app may not sign it off';
  }
  const groups = reviewers[stage] ?? [];
  if (!signer.claims.some(c => groups.includes(c))) {
    return `Only members of ${
      groups.join(', ') || 'no group'
    } may sign off stage '${stage}'`;
  }
  return undefined;
}
