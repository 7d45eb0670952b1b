import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Writes the manifest of a web app from the template's parameters",
    example: yaml.stringify({
      steps: [
        {
          id: 'manifest',
          action: 'marketplace:manifest:write',
          name: 'Write the manifest',
          input: {
            name: '${{ parameters.name }}',
            title: '${{ parameters.title }}',
            description: '${{ parameters.description }}',
            owner: '${{ parameters.owner }}',
            type: 'web-app',
            audience: '${{ parameters.audience }}',
            classification: '${{ parameters.classification }}',
            residency: '${{ parameters.residency }}',
            permissions: '${{ parameters.permissions }}',
            costCenter: '${{ parameters.costCenter }}',
            monthlyForecast: '${{ parameters.monthlyForecast }}',
            supportContact: '${{ parameters.supportContact }}',
            supportRoster: '${{ parameters.supportRoster }}',
            slaTier: '${{ parameters.slaTier }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Writes a manifest with literal values, one permission reaching personal data',
    example: yaml.stringify({
      steps: [
        {
          id: 'manifest',
          action: 'marketplace:manifest:write',
          name: 'Write the manifest',
          input: {
            name: 'expense-helper',
            title: 'Expense Helper',
            owner: 'group:default/finance-apps',
            type: 'web-app',
            audience: ['group:default/finance'],
            classification: 'confidential',
            residency: ['eu'],
            permissions: [
              { scope: 'expenses.write' },
              {
                scope: 'hr.employees.read',
                pii: true,
                justification: 'looks up the cost center of the employee',
              },
            ],
            costCenter: 'CC-4711',
            monthlyForecast: 40,
            supportContact: 'finance-apps@example.com',
            supportRoster: 'group:default/finance-apps',
            slaTier: 'S3',
          },
        },
      ],
    }),
  },
];
