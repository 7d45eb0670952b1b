import { createLicenseEvaluator } from './createLicenseEvaluator';
import {
  DEFAULT_ALLOWED_LICENSES,
  DEFAULT_DENIED_LICENSES,
} from './licensePolicy';

describe('createLicenseEvaluator', () => {
  const judge = createLicenseEvaluator({
    policy: {
      allow: [...DEFAULT_ALLOWED_LICENSES],
      deny: [...DEFAULT_DENIED_LICENSES],
    },
  });
  const verdict = (expression: string) => judge({ expression });

  it.each([
    'MIT',
    'Apache-2.0',
    '(MIT OR Apache-2.0)',
    'MIT OR GPL-3.0-only',
    'GPL-2.0-only OR BSD-3-Clause',
    'MIT AND (ISC OR GPL-2.0)',
    'Apache-2.0 WITH LLVM-exception',
    '(AFL-2.1 OR BSD-3-Clause)',
  ])('allows %s', expression => {
    expect(verdict(expression)).toEqual({ kind: 'allowed', licenses: [] });
  });

  it.each([
    ['MIT AND GPL-3.0-only', ['GPL-3.0-only']],
    ['GPL-2.0', ['GPL-2.0']],
    ['GPL-2.0+', ['GPL-2.0+']],
    ['GPL-3.0-or-later', ['GPL-3.0-or-later']],
    ['GPL-1.0-or-later', ['GPL-1.0-or-later']],
    ['AGPL-3.0', ['AGPL-3.0']],
    ['SSPL-1.0 OR BUSL-1.1', ['SSPL-1.0', 'BUSL-1.1']],
    ['(MIT OR GPL-2.0-only) AND AGPL-3.0-or-later', ['AGPL-3.0-or-later']],
  ])('denies %s, naming %j', (expression, licenses) => {
    expect(verdict(expression)).toEqual({ kind: 'denied', licenses });
  });

  it.each([
    ['WTFPL', ['WTFPL']],
    ['WTFPL OR GPL-3.0-only', ['WTFPL']],
    ['MIT AND LGPL-2.1-or-later', ['LGPL-2.1-or-later']],
    [
      'GPL-2.0-only WITH Classpath-exception-2.0',
      ['GPL-2.0-only WITH Classpath-exception-2.0'],
    ],
    ['CPL-1.0', ['CPL-1.0']],
  ])('finds %s on neither list, naming %j', (expression, licenses) => {
    expect(verdict(expression)).toEqual({ kind: 'not-allowed', licenses });
  });

  it.each(['MIT/X11', 'Apache2', 'BSD', 'mit', 'NOASSERTION', 'MIT AND'])(
    'cannot judge the non-SPDX %j',
    expression => {
      expect(verdict(expression)).toEqual({
        kind: 'unknown',
        licenses: [],
        reason: 'is not an SPDX license expression',
      });
    },
  );

  it('cannot judge a LicenseRef, but prefers it to a license on neither list', () => {
    expect(verdict('LicenseRef-Proprietary')).toEqual({
      kind: 'unknown',
      licenses: ['LicenseRef-Proprietary'],
      reason: 'is not an SPDX-listed license',
    });
    expect(verdict('LicenseRef-Proprietary OR WTFPL').kind).toBe('unknown');
    expect(verdict('LicenseRef-Proprietary OR MIT').kind).toBe('allowed');
  });

  it('lets the deny list win over the allow list for an exact id', () => {
    const both = createLicenseEvaluator({
      policy: { allow: ['MIT', 'GPL-3.0-or-later'], deny: ['GPL-3.0-only'] },
    });
    expect(both({ expression: 'GPL-3.0-only' }).kind).toBe('denied');
    // A range may still be used under a later, allowed version.
    expect(both({ expression: 'GPL-3.0-or-later' }).kind).toBe('allowed');
  });

  it('allows whatever is not denied when the allow list is empty', () => {
    const denyOnly = createLicenseEvaluator({
      policy: { allow: [], deny: ['GPL-3.0-only'] },
    });
    expect(denyOnly({ expression: 'WTFPL' }).kind).toBe('allowed');
    expect(denyOnly({ expression: 'GPL-3.0' }).kind).toBe('denied');
    expect(denyOnly({ expression: 'LicenseRef-x' }).kind).toBe('unknown');
  });
});
