import crypto from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader, type Config } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  GateResult,
  GateRun,
  MicroAppEntityV1alpha1,
  summarizeGateRun,
  TierId,
  TIERS,
} from '@microapps/plugin-marketplace-common';
import type {
  GateCache,
  GateEvaluation,
  GateFacts,
  GateReader,
  PolicyGate,
} from '@microapps/plugin-marketplace-node';
import { enforcementFor } from './enforcement';
import { orderGates } from './orderGates';

/** Default time one gate may take for one app. */
export const DEFAULT_GATE_TIMEOUT_MS = 20_000;

/**
 * Runs every gate for one app, in dependency order, each under a time limit. A gate that
 * throws or runs out of time reports `error` with the reason; it never passes.
 */
export class GateRunner {
  private readonly gates: PolicyGate[];

  constructor(
    private readonly options: {
      gates: PolicyGate[];
      logger: LoggerService;
      cache: GateCache;
      /** `marketplace.gates`; each gate reads its own section. */
      gatesConfig?: Config;
      timeoutMs?: number;
    },
  ) {
    this.gates = orderGates(options.gates);
    // a misconfigured enforcement is a startup error, not a failure of every app later
    for (const gate of this.gates) {
      for (const tier of TIERS) {
        enforcementFor({
          gate,
          tier: tier.id,
          gatesConfig: options.gatesConfig,
        });
      }
    }
  }

  get gateIds(): string[] {
    return this.gates.map(g => g.id);
  }

  async run(options: {
    entity: MicroAppEntityV1alpha1;
    tier: TierId;
    reader: GateReader;
  }): Promise<GateRun> {
    const { entity, tier, reader } = options;
    const entityRef = stringifyEntityRef(entity);
    const facts: GateFacts = {};
    const digests: Record<string, string> = {};
    const results: GateResult[] = [];

    for (const gate of this.gates) {
      const evaluation = await this.evaluate(
        gate,
        { entity, tier, facts },
        reader,
        entityRef,
      );
      if (evaluation.facts !== undefined) facts[gate.id] = evaluation.facts;
      if (evaluation.inputDigest !== undefined)
        digests[gate.id] = evaluation.inputDigest;
      results.push({
        gateId: gate.id,
        status: evaluation.status,
        enforcement: enforcementFor({
          gate,
          tier,
          gatesConfig: this.options.gatesConfig,
        }),
        findings: evaluation.findings,
        ...(evaluation.summary !== undefined && {
          summary: evaluation.summary,
        }),
        ...(evaluation.error !== undefined && { error: evaluation.error }),
      });
    }

    return {
      entityRef,
      evaluatedAt: new Date().toISOString(),
      tier,
      status: summarizeGateRun(results),
      inputHash: inputHash({ entity, tier, digests }),
      results,
    };
  }

  private async evaluate(
    gate: PolicyGate,
    input: { entity: MicroAppEntityV1alpha1; tier: TierId; facts: GateFacts },
    reader: GateReader,
    entityRef: string,
  ): Promise<GateEvaluation> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_GATE_TIMEOUT_MS;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<GateEvaluation>(resolve => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({
          status: 'error',
          findings: [],
          error: `The gate did not finish within ${timeoutMs / 1000} s`,
        });
      }, timeoutMs);
    });
    try {
      const evaluation = await Promise.race([
        gate.evaluate(input, {
          logger: this.options.logger.child({ gate: gate.id }),
          reader,
          cache: this.options.cache,
          config: this.gateConfig(gate.id),
          signal: controller.signal,
        }),
        timeout,
      ]);
      if (evaluation.status === 'error' && !evaluation.error) {
        return {
          ...evaluation,
          error: 'The gate reported an error without a reason',
        };
      }
      return evaluation;
    } catch (error) {
      this.options.logger.warn(
        `Gate ${gate.id} failed for ${entityRef}: ${error}`,
        {
          gateId: gate.id,
          entityRef,
        },
      );
      return {
        status: 'error',
        findings: [],
        error: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private gateConfig(id: string): Config {
    const section = /^[a-zA-Z0-9_-]+$/.test(id)
      ? this.options.gatesConfig?.getOptionalConfig(id)
      : undefined;
    return section ?? new ConfigReader({});
  }
}

/** SHA-256 over what the gates read: the entity's own fields, the tier and each gate's digest. */
function inputHash(options: {
  entity: MicroAppEntityV1alpha1;
  tier: TierId;
  digests: Record<string, string>;
}): string {
  const { entity, tier, digests } = options;
  // Labels are our own output and uid/etag change on every write; neither is an input.
  const { labels, uid, etag, ...metadata } = entity.metadata;
  return crypto
    .createHash('sha256')
    .update(JSON.stringify({ metadata, spec: entity.spec, tier, digests }))
    .digest('hex');
}
