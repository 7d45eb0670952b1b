import type { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_CHILD_OF,
  RELATION_MEMBER_OF,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Resolves the claims of a user through the catalog: the user's ref, every group they are a
 * member of, and every ancestor group of those, in lower case. Reviewer groups, owners and
 * audiences are matched against these, so a member of a sub-group counts as a member of its
 * parents.
 *
 * @public
 */
export interface MembershipResolver {
  /** The user's ref and the refs of all their groups, direct and inherited, in lower case. */
  getClaims(userEntityRef: string): Promise<string[]>;
}

/** How deep group parents are followed; a cycle in the org data must not loop forever. */
const MAX_DEPTH = 20;

/**
 * A {@link MembershipResolver} that reads the catalog with the plugin's own credentials and
 * keeps answers for `ttlMs` (default 10 s), so a policy that runs on every request does not
 * read the catalog on every request.
 *
 * @public
 */
export function createMembershipResolver(options: {
  catalog: CatalogService;
  auth: AuthService;
  ttlMs?: number;
}): MembershipResolver {
  const { catalog, auth, ttlMs = 10_000 } = options;
  const cache = new Map<string, { at: number; claims: Promise<string[]> }>();

  const parentsOf = (entity: Entity | undefined, relation: string) =>
    (entity?.relations ?? [])
      .filter(r => r.type === relation)
      .map(r => r.targetRef.toLocaleLowerCase('en-US'));

  async function resolve(userEntityRef: string): Promise<string[]> {
    const credentials = await auth.getOwnServiceCredentials();
    const userRef = userEntityRef.toLocaleLowerCase('en-US');
    const user = await catalog.getEntityByRef(userRef, { credentials });
    const claims = new Set<string>([userRef]);
    let frontier = parentsOf(user, RELATION_MEMBER_OF);
    for (let depth = 0; frontier.length && depth < MAX_DEPTH; depth++) {
      const fresh = frontier.filter(ref => !claims.has(ref));
      fresh.forEach(ref => claims.add(ref));
      if (!fresh.length) break;
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: fresh, fields: ['relations'] },
        { credentials },
      );
      frontier = items.flatMap(group => parentsOf(group, RELATION_CHILD_OF));
    }
    return [...claims];
  }

  return {
    getClaims(userEntityRef) {
      const key = userEntityRef.toLocaleLowerCase('en-US');
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < ttlMs) return hit.claims;
      const claims = resolve(key);
      cache.set(key, { at: Date.now(), claims });
      // a failed lookup is not remembered
      claims.catch(() => cache.delete(key));
      if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
      return claims;
    },
  };
}
