import { formatMicros, parseMicros } from './decimal';

describe('decimal', () => {
  it.each([
    ['12.5', 12_500_000n],
    ['-0.000123456', -123n],
    ['0.0000015', 2n],
    ['1.2E-5', 12n],
    ['+3', 3_000_000n],
    ['.5', 500_000n],
    ['7.', 7_000_000n],
  ])('parses %s', (text, micros) => {
    expect(parseMicros(text)).toBe(micros);
  });

  it.each(['', '-', '.', 'abc', '1,5', '1.2.3', 'NaN', '1e400'])(
    'rejects %j',
    text => expect(parseMicros(text)).toBeUndefined(),
  );

  it('formats without trailing zeros', () => {
    expect(formatMicros(12_500_000n)).toBe('12.5');
    expect(formatMicros(-123n)).toBe('-0.000123');
    expect(formatMicros(0n)).toBe('0');
    expect(parseMicros(12.34)).toBe(12_340_000n);
  });
});
