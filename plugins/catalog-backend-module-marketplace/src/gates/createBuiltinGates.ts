import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { PolicyGate } from '@microapps/plugin-marketplace-node';
import { createCostGate } from './cost/createCostGate';
import { createLicensesGate } from './licenses';
import { loadPolicyGates } from './loadPolicyGates';
import { createMetadataGate } from './metadata/createMetadataGate';
import { createPrivilegesGate } from './privileges/createPrivilegesGate';
import { createSbomGate } from './sbom';
import { createSecretsGate } from './secrets';
import { createVulnerabilitiesGate, type OsvIndex } from './vulnerabilities';

/** Reads `marketplace.cost.centers`: ids, or objects with an id and a name. */
export function readCostCenters(config: Config): string[] | undefined {
  const centers = config.getOptional<unknown[]>('marketplace.cost.centers');
  return centers?.map((c, i) => {
    if (typeof c === 'string') return c;
    const id = (c as { id?: unknown })?.id;
    if (typeof id !== 'string') {
      throw new Error(
        `marketplace.cost.centers[${i}] must be a string or have an id`,
      );
    }
    return id;
  });
}

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
    createCostGate({ centers: readCostCenters(options.config) }),
    ...(await loadPolicyGates({
      config: options.config,
      logger: options.logger,
    })),
  ];
}
