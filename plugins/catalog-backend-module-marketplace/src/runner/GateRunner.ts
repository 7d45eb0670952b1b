import crypto from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader, type Config } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  GateEnforcement,
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

const NOT_YET = Promise.resolve('not-yet' as const);

/** Default time one gate may take for one app. */
export const DEFAULT_GATE_TIMEOUT_MS = 20_000;

/**
 * Runs every gate for one app, in dependency order, each under a time limit. A gate that
 * throws or runs out of time reports `error` with the reason; it never passes.
 */
export class GateRunner {
  private readonly gates: PolicyGate[];
  // Resolved once: the catalog runs every gate for every app every few minutes.
  private readonly perGate = new Map<
    string,
    {
      config: Config;
      logger: LoggerService;
      enforcement: Map<TierId, GateEnforcement>;
    }
  >();

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
      const config = this.gateConfig(gate.id);
      this.perGate.set(gate.id, {
        config,
        logger: options.logger.child({ gate: gate.id }),
        enforcement: new Map(
          TIERS.map(tier => [
            tier.id,
            enforcementFor({ gate, tier: tier.id, gateConfig: config }),
          ]),
        ),
      });
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
        enforcement: this.perGate.get(gate.id)!.enforcement.get(tier)!,
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
      ...(isSbomFacts(facts.sbom) && { sbomSha256: facts.sbom.sha256 }),
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
    const { logger, config } = this.perGate.get(gate.id)!;
    try {
      const pending = gate.evaluate(input, {
        logger,
        reader,
        cache: this.options.cache,
        config,
        signal: controller.signal,
      });
      // Most gates finish without waiting for anything (their work is cached); those need
      // no timer. Only a gate still pending after this tick gets its deadline.
      const settled = await Promise.race([pending, NOT_YET]);
      let evaluation: GateEvaluation;
      if (settled !== 'not-yet') {
        evaluation = settled;
      } else {
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
        evaluation = await Promise.race([pending, timeout]);
      }
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
    // config keys cannot hold ids such as `policy:pack/rule`; those carry their own rules
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

function isSbomFacts(value: unknown): value is { sha256: string } {
  return typeof (value as { sha256?: unknown })?.sha256 === 'string';
}
