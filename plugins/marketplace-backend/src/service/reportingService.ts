import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { type AppDirectory, appEntityRef, type AppRef } from './AppDirectory';

/**
 * The subject of service credentials: another backend plugin, or a static token of
 * `backend.auth.externalAccess` (its configured subject). A user is refused with `refusal`.
 * Metrics and usage are reported by services, and the subject is stored as their source.
 */
export function serviceSubject(
  credentials: BackstageCredentials,
  refusal: string,
): string {
  const principal = credentials.principal as { type: string; subject?: string };
  if (principal.type !== 'service' || !principal.subject) {
    throw new NotAllowedError(refusal);
  }
  return principal.subject;
}

/**
 * The app's ref, or a 404 when the catalog does not have it. Looked up with the plugin's own
 * credentials: a reporting service need not be allowed to see the app.
 */
export async function knownAppRef(
  directory: Pick<AppDirectory, 'getApps'>,
  ref: AppRef | string,
): Promise<string> {
  const entityRef = appEntityRef(ref);
  const apps = await directory.getApps([entityRef]);
  if (!apps.has(entityRef)) throw new NotFoundError(`No app '${entityRef}'`);
  return entityRef;
}
