import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { readCostCenters } from '@microapps/plugin-marketplace-common';
import type { PolicyGate } from '@microapps/plugin-marketplace-node';
import { createCostGate } from './cost/createCostGate';
import { createLicensesGate } from './licenses';
import { loadPolicyGates } from './loadPolicyGates';
import { createMetadataGate } from './metadata/createMetadataGate';
import { createPrivilegesGate } from './privileges/createPrivilegesGate';
import { createSbomGate } from './sbom';
import { createSecretsGate } from './secrets';
import { createVulnerabilitiesGate, type OsvIndex } from './vulnerabilities';

/** The marketplace's own gates, configured from app-config. */
export async function createBuiltinGates(options: {
  config: Config;
  logger: LoggerService;
  getTemplate(ref: string): Promise<Entity | undefined>;
  getAdvisoryIndex(): OsvIndex | undefined;
}): Promise<PolicyGate[]> {
  return [
    createMetadataGate(),
    createSbomGate(),
    createVulnerabilitiesGate({ getIndex: options.getAdvisoryIndex }),
    createLicensesGate(),
    createSecretsGate(),
    createPrivilegesGate({ getTemplate: options.getTemplate }),
    createCostGate({
      centers: readCostCenters(options.config)?.map(c => c.id),
    }),
    ...(await loadPolicyGates({
      config: options.config,
      logger: options.logger,
    })),
  ];
}
