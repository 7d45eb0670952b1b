import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Requests the Vetted tier for the app just registered, when the user asked for it',
    example: yaml.stringify({
      steps: [
        {
          id: 'request',
          if: '${{ parameters.requestVetted }}',
          action: 'marketplace:promotion:request',
          name: 'Request the Vetted tier',
          input: {
            entityRef: '${{ steps.register.output.entityRef }}',
            targetTier: 'vetted',
          },
        },
      ],
    }),
  },
  {
    description:
      'Requests the Enterprise tier with a note for the reviewers, waiting up to two minutes for the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'request',
          action: 'marketplace:promotion:request',
          name: 'Request the Enterprise tier',
          input: {
            entityRef: 'microapp:default/expense-helper',
            targetTier: 'enterprise',
            comment: 'Runbook and on-call roster are in place',
            waitForEntitySeconds: 120,
          },
        },
      ],
    }),
  },
];
