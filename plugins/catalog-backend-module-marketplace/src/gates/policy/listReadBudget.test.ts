import { ListReadBudgetExceededError, meterListReads } from './listReadBudget';

describe('meterListReads', () => {
  const doc = () => ({
    app: {
      spec: { audience: ['group:a', 'group:b'], cost: { monthlyForecast: 5 } },
    },
    facts: { sbom: { components: [{ name: 'a', licenses: ['MIT'] }] } },
  });

  it('keeps the document as it is for readers', () => {
    const { value } = meterListReads({ value: doc(), maxReads: 100 });
    expect(Array.isArray(value.app.spec.audience)).toBe(true);
    expect(value.app.spec.audience.constructor).toBe(Array);
    expect(value.app.spec.constructor).toBe(Object);
    expect(JSON.parse(JSON.stringify(value))).toEqual(doc());
  });

  it('counts list element reads and key listings inside run, not field reads', () => {
    const metered = meterListReads({ value: doc(), maxReads: 100 });
    const { app, facts } = metered.value;
    metered.run(() => {
      expect(app.spec.cost.monthlyForecast).toBe(5);
      expect(metered.reads()).toBe(0);
      expect([...app.spec.audience]).toEqual(['group:a', 'group:b']);
      expect(metered.reads()).toBe(2);
      expect(facts.sbom.components[0].licenses[0]).toBe('MIT');
      expect(metered.reads()).toBe(4);
      expect(Object.keys(app.spec)).toEqual(['audience', 'cost']);
      expect(metered.reads()).toBe(6);
    });
    // outside run nothing is charged
    expect([...app.spec.audience]).toHaveLength(2);
    expect(metered.reads()).toBe(6);
  });

  it('throws on every read past the budget', () => {
    const metered = meterListReads({ value: doc(), maxReads: 1 });
    const audience = metered.value.app.spec.audience;
    metered.run(() => {
      expect(audience[0]).toBe('group:a');
      expect(metered.exceeded()).toBe(false);
      expect(() => audience[1]).toThrow(ListReadBudgetExceededError);
      expect(() => audience[0]).toThrow(
        'evaluation stopped after reading 1 list elements',
      );
    });
    expect(metered.exceeded()).toBe(true);
  });

  it('leaves the document unchanged, so one copy serves every rule and every run', () => {
    const shared = doc();
    const first = meterListReads({ value: shared, maxReads: 100 });
    first.run(() => expect([...first.value.app.spec.audience]).toHaveLength(2));
    expect(first.reads()).toBe(2);
    expect(Array.isArray(shared.app.spec.audience)).toBe(true);
    expect(shared).toEqual(doc());
    // a second rule's meter starts from zero on the same document, with the same proxies
    const second = meterListReads({ value: shared, maxReads: 100 });
    expect(second.value.facts).toBe(first.value.facts);
    second.run(() =>
      expect(second.value.facts.sbom.components[0].name).toBe('a'),
    );
    expect(second.reads()).toBe(1);
    expect(first.reads()).toBe(2);
  });
});
