import { compare, valid } from '@renovatebot/pep440';
import type { VersionScheme } from './VersionScheme';

/**
 * PyPI versions per PEP 440 (epochs, pre-, post- and dev-releases, local versions).
 *
 * @internal
 */
export const pep440Scheme: VersionScheme<string> = {
  name: 'PyPI',
  parse: version => valid(version.trim()) ?? undefined,
  compare: (a, b) => compare(a, b),
};
