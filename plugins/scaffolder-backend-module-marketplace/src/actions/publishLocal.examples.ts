import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publishes the workspace to the local folder and registers it in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'marketplace:publish:local',
          name: 'Publish',
          input: { name: '${{ parameters.name }}' },
        },
        {
          id: 'register',
          action: 'marketplace:app:register',
          name: 'Register',
          input: {
            catalogInfoUrl: '${{ steps.publish.output.catalogInfoUrl }}',
          },
        },
      ],
    }),
  },
];
