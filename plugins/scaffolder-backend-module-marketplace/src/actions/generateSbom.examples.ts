import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Writes sbom.cdx.json from package-lock.json and records it in catalog-info.yaml',
    example: yaml.stringify({
      steps: [
        {
          id: 'sbom',
          action: 'marketplace:sbom:generate',
          name: 'Generate the SBOM',
          input: {},
        },
      ],
    }),
  },
  {
    description:
      'Reads the lockfile of a sub-folder and lists development packages too',
    example: yaml.stringify({
      steps: [
        {
          id: 'sbom',
          action: 'marketplace:sbom:generate',
          name: 'Generate the SBOM',
          input: {
            lockfile: 'app/package-lock.json',
            output: 'app/sbom.cdx.json',
            manifest: 'catalog-info.yaml',
            includeDev: true,
          },
        },
      ],
    }),
  },
];
