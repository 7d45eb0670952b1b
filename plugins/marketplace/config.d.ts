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
  };
}
