import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Registers the app that the publish step published',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'marketplace:app:register',
          name: 'Register the app',
          input: {
            catalogInfoUrl: '${{ steps.publish.output.catalogInfoUrl }}',
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Open in catalog',
            icon: 'catalog',
            entityRef: '${{ steps.register.output.entityRef }}',
          },
          {
            title: 'Governance tab',
            url: '${{ steps.register.output.governanceUrl }}',
          },
        ],
      },
    }),
  },
];
