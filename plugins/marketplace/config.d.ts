export interface Config {
  marketplace?: {
    reviews?: {
      /**
       * The review SLA: a promotion request is due this many hours after its last change
       * (`updatedAt`); the review queue shows the due time and sorts overdue requests
       * first. Default 72.
       * @visibility frontend
       */
      dueAfterHours?: number;
    };
    cost?: {
      /**
       * The cost centers apps may name: ids, or objects with an id and a display name.
       * The scaffolder's cost center picker offers them. No default (the picker then says
       * that none are configured). Deep, so that the objects' ids and names reach the browser.
       * @deepVisibility frontend
       */
      centers?: Array<string | { id: string; name?: string }>;
    };
  };
}
