import { parseEntityRef } from '@backstage/catalog-model';

/** The entity page of an app in the catalog. */
export function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}`;
}

/** The Governance tab of an app. */
export function governancePath(entityRef: string): string {
  return `${entityPath(entityRef)}/governance`;
}
