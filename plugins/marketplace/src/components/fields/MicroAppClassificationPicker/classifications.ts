/** The data classifications of `spec.data.classification`, lowest first. */
export const CLASSIFICATIONS = [
  'public',
  'internal',
  'confidential',
  'restricted',
] as const;

/** One data classification. */
export type Classification = (typeof CLASSIFICATIONS)[number];

/** What each classification covers and what it means for the review. */
export const CLASSIFICATION_HELP: Record<
  Classification,
  { title: string; data: string; review: string }
> = {
  public: {
    title: 'Public',
    data: 'Only data anyone may see, such as published prices, opening hours or press releases.',
    review:
      'No data rules beyond the standard gates; reviewers check that nothing non-public slips in.',
  },
  internal: {
    title: 'Internal',
    data: 'Employee-only data that does little harm if it leaks, such as team calendars or internal announcements.',
    review: 'The standard gates and sign-offs; no extra data rules.',
  },
  confidential: {
    title: 'Confidential',
    data: 'Business or personal data for a need-to-know group, such as expenses, contracts, customer or employee records.',
    review:
      'Needs a declared data residency and an on-call roster before Vetted; Compliance checks both.',
  },
  restricted: {
    title: 'Restricted',
    data: 'The most sensitive data: health or other special personal data, bank accounts, salaries, credentials.',
    review:
      'Needs residency, an on-call roster and an S1 or S2 support SLA before Vetted; Compliance looks closely at how the data is handled.',
  },
};

/** True for one of the four classifications. */
export function isClassification(value: unknown): value is Classification {
  return (CLASSIFICATIONS as readonly unknown[]).includes(value);
}
