export interface Config {
  /** The demo portal only. */
  demo?: {
    /**
     * The users one can sign in as on the demo's sign-in page, without an identity provider.
     * The backend's `demo` provider (packages/backend/src/demoPersonas.ts) accepts only these,
     * and only in development. Each must be a User in the catalog.
     * @visibility frontend
     */
    personas?: Array<{
      /**
       * The user, e.g. `user:default/casey` (a bare name means `user:default/<name>`).
       * @visibility frontend
       */
      userEntityRef: string;
      /**
       * The name on the persona's card.
       * @visibility frontend
       */
      title?: string;
      /**
       * Who the persona is, e.g. "Security reviewer".
       * @visibility frontend
       */
      description?: string;
    }>;
  };
}
