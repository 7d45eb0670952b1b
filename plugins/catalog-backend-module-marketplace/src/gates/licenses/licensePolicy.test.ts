import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_ALLOWED_LICENSES,
  DEFAULT_DENIED_LICENSES,
  readLicensePolicy,
} from './licensePolicy';

describe('readLicensePolicy', () => {
  const read = (config: object) =>
    readLicensePolicy({ config: new ConfigReader(config) });

  it('has defaults', () => {
    expect(read({})).toEqual({
      allow: DEFAULT_ALLOWED_LICENSES,
      deny: DEFAULT_DENIED_LICENSES,
      unknown: 'warn',
    });
    expect(
      DEFAULT_ALLOWED_LICENSES.filter(l => DEFAULT_DENIED_LICENSES.includes(l)),
    ).toEqual([]);
  });

  it('reads configured lists, empty ones included', () => {
    expect(
      read({
        allow: [],
        deny: ['GPL-2.0+', 'Apache-2.0 WITH LLVM-exception'],
        unknown: 'fail',
      }),
    ).toEqual({
      allow: [],
      deny: ['GPL-2.0+', 'Apache-2.0 WITH LLVM-exception'],
      unknown: 'fail',
    });
  });

  it.each([
    [
      { allow: ['MIT', 'MIT OR ISC'] },
      "marketplace.gates.licenses.allow[1] 'MIT OR ISC' is not a single SPDX license id",
    ],
    [
      { deny: ['GPLv3'] },
      "marketplace.gates.licenses.deny[0] 'GPLv3' is not a single SPDX license id",
    ],
    [
      { unknown: 'ignore' },
      "marketplace.gates.licenses.unknown must be 'warn' or 'fail', got 'ignore'",
    ],
  ])('refuses %j', (config, message) => {
    expect(() => read(config)).toThrow(message);
  });
});
