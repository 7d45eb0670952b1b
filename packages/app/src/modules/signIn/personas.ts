import type { Config } from '@backstage/config';
import type { IdentityApi } from '@backstage/core-plugin-api';

/** The header the backend's `demo` provider reads (packages/backend/src/demoPersonas.ts). */
export const DEMO_PERSONA_HEADER = 'x-demo-persona';

/** Where the chosen persona is kept, so a reload signs in again as the same person. */
export const PERSONA_STORAGE_KEY = '@microapps/demo-persona';

/** A demo user one can sign in as, from `demo.personas` in app-config. */
export type DemoPersona = {
  userEntityRef: string;
  title: string;
  description?: string;
};

export function readPersonas(config: Config): DemoPersona[] {
  return (config.getOptionalConfigArray('demo.personas') ?? []).map(p => ({
    userEntityRef: p.getString('userEntityRef'),
    title: p.getOptionalString('title') ?? p.getString('userEntityRef'),
    description: p.getOptionalString('description'),
  }));
}

export function storedPersona(): string | undefined {
  return window.localStorage.getItem(PERSONA_STORAGE_KEY) ?? undefined;
}

export function storePersona(userEntityRef: string | undefined) {
  if (userEntityRef) {
    window.localStorage.setItem(PERSONA_STORAGE_KEY, userEntityRef);
  } else {
    window.localStorage.removeItem(PERSONA_STORAGE_KEY);
  }
}

/**
 * The proxied identity forgets nothing on sign-out; this one forgets the persona too, so
 * signing out leads back to the picker instead of straight back in.
 */
export function forgetPersonaOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      storePersona(undefined);
      await identity.signOut();
    },
  };
}
