/** Column header of the generated FOCUS exports (a subset of the FOCUS 1.x columns). */
export const FOCUS_HEADER = [
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'BillingPeriodStart',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ProviderName',
  'ServiceName',
  'ServiceCategory',
  'ResourceId',
  'RegionId',
  'Tags',
].join(',');

const csvField = (value: string) =>
  /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

const fixed6 = (micros: number) =>
  `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;

/** What a generated file must parse to, computed without the parser's code. */
export type FocusExpectation = {
  /** micro-units per `microapp:default/app-N`, per month */
  totals: Map<string, Map<string, number>>;
  allocatedRows: number;
  /** Rows charged to the cost center CC-2200, whose micro-units per month are in `costCenterTotals`. */
  costCenterRows: number;
  costCenterTotals: Map<string, number>;
  unallocatedRows: number;
  errorLines: number[];
};

/**
 * Lines (header first) of a deterministic FOCUS export of `rows` records over 20 apps, three
 * months and five services, every 10th row without the app tag (every other one of them with
 * the cost center tag `CC-2200`) and, when `errorEvery` is set, every
 * `errorEvery`th row malformed (in turn: a bad number, a bad date, bad Tags, a short row).
 * `expected` is filled as the lines are produced.
 */
export function* generateFocusLines(
  rows: number,
  expected: FocusExpectation,
  options: { errorEvery?: number } = {},
): Generator<string> {
  const services = ['Compute', 'Storage', 'Database', 'Networking', 'Logging'];
  const months = ['2026-09', '2026-10', '2026-11'];
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  yield FOCUS_HEADER;
  for (let i = 0; i < rows; i++) {
    const line = i + 2;
    const app = `app-${i % 20}`;
    const month = months[i % 3];
    const day = String((i % 28) + 1).padStart(2, '0');
    const micros = next() % 50_000_000; // up to 50.00
    const service = services[i % 5];
    const untagged = i % 10 === 9;
    const toCenter = i % 20 === 19;
    let tags: object = { x_microapp: app, x_cost_center: 'CC-1000' };
    if (untagged) {
      tags = toCenter
        ? { x_cost_center: 'CC-2200', env: 'shared' }
        : { env: 'prod' };
    }
    let cost = fixed6(micros);
    let start = `${month}-${day}T00:00:00Z`;
    let tagsJson = JSON.stringify(tags);
    let short = false;
    if (
      options.errorEvery &&
      i % options.errorEvery === options.errorEvery - 1
    ) {
      const kind = (i / options.errorEvery) % 4 | 0;
      if (kind === 0) cost = '12,5x';
      if (kind === 1) start = `${month}-${day}T25:99`;
      if (kind === 2) tagsJson = '{"x_microapp":';
      if (kind === 3) short = true;
      expected.errorLines.push(line);
    } else if (toCenter) {
      expected.costCenterRows += 1;
      expected.costCenterTotals.set(
        month,
        (expected.costCenterTotals.get(month) ?? 0) + micros,
      );
    } else if (untagged) {
      expected.unallocatedRows += 1;
    } else {
      expected.allocatedRows += 1;
      const ref = `microapp:default/${app}`;
      let byMonth = expected.totals.get(ref);
      if (!byMonth) expected.totals.set(ref, (byMonth = new Map()));
      byMonth.set(month, (byMonth.get(month) ?? 0) + micros);
    }
    const fields = [
      cost,
      cost,
      'EUR',
      `${month}-01T00:00:00Z`,
      start,
      `${month}-${day}T23:59:59Z`,
      'Usage',
      'ExampleCloud',
      service,
      service,
      `res-${app}-${service.toLowerCase()}`,
      'eu-west-1',
      tagsJson,
    ];
    if (short) fields.pop();
    yield fields.map(csvField).join(',');
  }
}

export const emptyExpectation = (): FocusExpectation => ({
  totals: new Map(),
  allocatedRows: 0,
  costCenterRows: 0,
  costCenterTotals: new Map(),
  unallocatedRows: 0,
  errorLines: [],
});

/** The lines joined into chunks of about 64 KiB, as a file stream delivers them. */
export function* chunked(lines: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
