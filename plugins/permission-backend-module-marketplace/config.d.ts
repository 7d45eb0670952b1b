export interface Config {
  marketplace?: {
    /** Groups (or users) whose members are marketplace admins: they see every app, demote, and read reports. Default: none. */
    admins?: string[];
    /** Reviewer groups per promotion stage; members (sub-groups included) may review and see every app. Default: none. */
    reviewers?: { [stage: string]: string[] };
  };
}
