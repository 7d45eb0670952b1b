/** Calendar months as `YYYY-MM`, always in UTC: costs, SLA figures and reports count by them. */

/** `YYYY-MM` of a time, in UTC. */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** The month `delta` months after (or before) `month`. */
export function addMonths(month: string, delta: number): string {
  const [year, m] = month.split('-').map(Number);
  return monthOf(new Date(Date.UTC(year, m - 1 + delta, 1)));
}

/** The first instant of a `YYYY-MM` month and of the month after it, UTC. */
export function monthRange(month: string): { start: Date; end: Date } {
  const [year, m] = month.split('-').map(Number);
  return {
    start: new Date(Date.UTC(year, m - 1, 1)),
    end: new Date(Date.UTC(year, m, 1)),
  };
}
