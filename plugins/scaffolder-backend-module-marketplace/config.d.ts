export interface Config {
  marketplace?: {
    scaffolder?: {
      /**
       * Where `marketplace:publish:local` publishes new apps, for portals without a git host
       * (demos, air-gapped setups). Not set by default: the action then refuses to run.
       */
      localPublish?: {
        /**
         * The folder that receives one sub-folder per app, as an absolute path or relative to
         * the backend's working directory. Not set by default.
         */
        directory: string;
      };
    };
  };
}
