import type { Knex } from 'knex';
import { BUDGET_STAGE } from '@microapps/plugin-marketplace-common';
import { note, seededRandom, shuffle } from '../benchUtils';
import { authHeader, BackendChild } from './backendChild';
import { PhaseResult, runPhase } from './loadPhase';

/** Who may sign each human stage of a request to Enterprise (examples/org.yaml). */
export const STAGE_REVIEWERS: Record<string, string> = {
  security: 'sam',
  compliance: 'cora',
  cost: 'bea',
  operations: 'otto',
  [BUDGET_STAGE]: 'bea',
};

interface SignoffTask {
  promotionId: string;
  stage: string;
  reviewer: string;
}

/** Every human stage of every open request, once, in a seeded random order. */
export function signoffTasks(promotionIds: string[]): SignoffTask[] {
  const tasks = promotionIds.flatMap(promotionId =>
    Object.entries(STAGE_REVIEWERS).map(([stage, reviewer]) => ({
      promotionId,
      stage,
      reviewer,
    })),
  );
  return shuffle(tasks, seededRandom(4711));
}

function bodyOf(task: SignoffTask) {
  return {
    stage: task.stage,
    decision: 'approve',
    comment: 'checked under load',
    ...(task.stage === BUDGET_STAGE && { budget: 50 }),
  };
}

/** Apps of the pool whose latest run at Enterprise fails: their approvals would be 409s. */
async function blockedApps(knex: Knex, refs: string[]): Promise<string[]> {
  const rows = await knex('gate_runs as g')
    .select('g.entity_ref')
    .whereIn('g.entity_ref', refs)
    .andWhere('g.tier', 'enterprise')
    .andWhere('g.status', 'fail')
    .whereRaw(
      `g.id = (select max(id) from gate_runs l where l.entity_ref = g.entity_ref and l.tier = 'enterprise')`,
    );
  return rows.map(r => r.entity_ref);
}

/**
 * Waits until the automated stage of every open request passes. Apps the catalog processed
 * before it had read the templates fail the privileges gate ("template not found") until
 * they are processed again, so those are refreshed.
 */
export async function waitForPoolGates(
  backend: BackendChild,
  knex: Knex,
  refs: string[],
  timeoutMs = 300_000,
): Promise<number> {
  const start = Date.now();
  let blocked = await blockedApps(knex, refs);
  if (blocked.length) {
    note(
      `${blocked.length} apps of the pool failed their gates at Enterprise (processed before the templates were read); refreshing them`,
    );
  }
  while (blocked.length && Date.now() - start < timeoutMs) {
    for (const entityRef of blocked) {
      await backend.request('ada', '/api/catalog/refresh', {
        method: 'POST',
        body: { entityRef },
      });
    }
    await new Promise(r => setTimeout(r, 5000));
    blocked = await blockedApps(knex, refs);
  }
  if (blocked.length) {
    note(`still blocked after ${timeoutMs / 1000} s: ${blocked.join(', ')}`);
  }
  return blocked.length;
}

/** Sends the first `count` tasks one at a time (warm-up); returns how many were 2xx. */
export async function signSequentially(
  backend: BackendChild,
  tasks: SignoffTask[],
): Promise<number> {
  let ok = 0;
  for (const task of tasks) {
    const res = await backend.request(
      task.reviewer,
      `/api/marketplace/promotions/${task.promotionId}/signoffs`,
      { method: 'POST', body: bodyOf(task) },
    );
    if (res.status < 300) ok++;
    else note(`warm-up sign-off: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return ok;
}

/** Each task exactly once over `connections` connections. */
export function runSignoffPhase(options: {
  backend: BackendChild;
  tasks: SignoffTask[];
  connections: number;
}): Promise<PhaseResult> {
  const { tasks } = options;
  let next = 0;
  return runPhase({
    name: `POST /promotions/{id}/signoffs, ${tasks.length} distinct approvals by the stages' reviewers, ${options.connections} connections`,
    baseUrl: options.backend.baseUrl,
    connections: options.connections,
    amount: tasks.length,
    next: () => {
      // autocannon asks for exactly `amount` requests; past that the last repeats (a 409)
      const task = tasks[Math.min(next++, tasks.length - 1)];
      return {
        method: 'POST',
        path: `/api/marketplace/promotions/${task.promotionId}/signoffs`,
        headers: {
          authorization: authHeader(task.reviewer),
          'content-type': 'application/json',
        },
        body: JSON.stringify(bodyOf(task)),
      };
    },
  });
}
