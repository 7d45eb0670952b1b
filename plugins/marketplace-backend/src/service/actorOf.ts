import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';

/** The entity ref (lower case) or plugin id of whoever acts, as audit entries name them. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef.toLocaleLowerCase('en-US');
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  throw new NotAllowedError('This needs a signed-in user or a plugin');
}

/** The signed-in user's entity ref; workflow decisions are made by people. */
export function userOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
  };
  if (principal.type !== 'user' || !principal.userEntityRef) {
    throw new NotAllowedError('Only a signed-in user may do this');
  }
  return principal.userEntityRef.toLocaleLowerCase('en-US');
}
