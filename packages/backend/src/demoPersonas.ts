/*
 * Demo personas: a development-only sign-in provider (`demo`) that signs a person in as one of
 * the users listed under `demo.personas`, picked on the demo portal's sign-in page. It lets
 * one browser act as the citizen developer, each reviewer and the admin without an identity
 * provider. Like the guest provider it refuses to run outside NODE_ENV=development unless
 * `auth.providers.demo.dangerouslyAllowOutsideDevelopment` is set.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
} from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The request header that names the persona (its user entity ref). */
export const DEMO_PERSONA_HEADER = 'x-demo-persona';

/** The user entity refs that may be signed in as, read from `demo.personas`. */
export function readDemoPersonas(config: Config): Set<string> {
  const personas = config.getOptionalConfigArray('demo.personas') ?? [];
  return new Set(
    personas.map((persona, index) => {
      const ref = persona.getString('userEntityRef');
      const where = `demo.personas[${index}].userEntityRef "${ref}"`;
      let parsed;
      try {
        parsed = parseEntityRef(ref, { defaultKind: 'user' });
      } catch (error) {
        throw new InputError(`${where} is not an entity ref: ${error}`);
      }
      if (parsed.kind.toLocaleLowerCase('en-US') !== 'user') {
        throw new InputError(`${where} must name a User, not a ${parsed.kind}`);
      }
      return stringifyEntityRef(parsed);
    }),
  );
}

/** Checks the requested persona against the allowed ones; returns its user entity ref. */
export function resolvePersona(
  header: string | undefined,
  personas: ReadonlySet<string>,
): string {
  if (!header) {
    throw new AuthenticationError(
      `Pick a demo persona: the ${DEMO_PERSONA_HEADER} header is missing`,
    );
  }
  let ref: string;
  try {
    ref = stringifyEntityRef(parseEntityRef(header, { defaultKind: 'user' }));
  } catch {
    throw new AuthenticationError(`"${header}" is not a user entity ref`);
  }
  if (!personas.has(ref)) {
    throw new NotAllowedError(
      `"${ref}" is not one of the demo personas (demo.personas in app-config)`,
    );
  }
  return ref;
}

function createDemoAuthenticator(personas: ReadonlySet<string>) {
  return createProxyAuthenticator({
    // the profile (name and email in the portal's header and settings) is the catalog's
    defaultProfileTransform: async (result: { userEntityRef: string }, ctx) => {
      const { entity } = await ctx.findCatalogUser({
        entityRef: result.userEntityRef,
      });
      const profile = (entity.spec?.profile ?? {}) as {
        displayName?: string;
        email?: string;
        picture?: string;
      };
      return {
        profile: {
          displayName: profile.displayName ?? entity.metadata.name,
          email: profile.email,
          picture: profile.picture,
        },
      };
    },
    initialize({ config }) {
      const allowed =
        process.env.NODE_ENV === 'development' ||
        config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') ===
          true;
      return { allowed };
    },
    async authenticate({ req }, { allowed }) {
      if (!allowed) {
        throw new NotAllowedError(
          'The demo persona sign-in only runs in development (NODE_ENV=development), unless auth.providers.demo.dangerouslyAllowOutsideDevelopment is set',
        );
      }
      const header = req.get(DEMO_PERSONA_HEADER);
      return { result: { userEntityRef: resolvePersona(header, personas) } };
    },
  });
}

/** Registers the `demo` sign-in provider with the auth backend. */
export const authModuleDemoPersonas = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-personas',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        const personas = readDemoPersonas(config);
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: createDemoAuthenticator(personas),
            // the persona must exist in the catalog: its groups decide what it may do
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userEntityRef }),
          }),
        });
      },
    });
  },
});
