/**
 * The name under which a package is indexed and looked up: PyPI names are normalised per
 * PEP 503, NuGet and Packagist names compare case-insensitively, all others exactly.
 *
 * @internal
 */
export function normalizePackageName(options: {
  ecosystem: string;
  name: string;
}): string {
  const { ecosystem, name } = options;
  switch (ecosystem.split(':')[0]) {
    case 'PyPI':
      return name.replace(/[-_.]+/g, '-').toLowerCase();
    case 'NuGet':
    case 'Packagist':
      return name.toLowerCase();
    default:
      return name;
  }
}
