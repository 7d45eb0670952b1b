import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ActivitySignal } from '@microapps/plugin-marketplace-node';
import { normalizeRef } from '../../database/rows';
import type { DatabaseActivityStore } from './DatabaseActivityStore';

/** The newest activity of an app and the signal that reported it. */
export interface LastActivity {
  /** ISO time. */
  at: string;
  /** Id of the signal, e.g. `catalog` or `usage`. */
  signal: string;
}

/**
 * Reads the activity signals of apps and their idle flags. Every signal is asked once per
 * call for all the apps; the built-in ones answer with one query per 500 apps.
 */
export class IdleDetector {
  constructor(
    private readonly options: {
      store: DatabaseActivityStore;
      signals: ActivitySignal[];
      logger: LoggerService;
    },
  ) {}

  /** Ids of the signals, in the order they are asked. */
  get signalIds(): string[] {
    return this.options.signals.map(s => s.id);
  }

  /**
   * The newest activity per app over every signal, keyed by the refs as given; apps no
   * signal knows are left out. A signal that fails is logged and left out.
   */
  async lastActivity(entityRefs: string[]): Promise<Map<string, LastActivity>> {
    const { activity } = await this.collect(entityRefs);
    const result = new Map<string, LastActivity>();
    for (const ref of entityRefs) {
      const found = activity.get(normalizeRef(ref));
      if (found) {
        result.set(ref, { at: found.at.toISOString(), signal: found.signal });
      }
    }
    return result;
  }

  /** The apps among these that are flagged idle now, as given. */
  async idleRefs(entityRefs: string[]): Promise<Set<string>> {
    const flags = await this.options.store.getIdleFlags(entityRefs);
    return new Set(entityRefs.filter(ref => flags.has(normalizeRef(ref))));
  }

  /**
   * The newest activity per lower-case ref, and the ids of the signals that failed (the
   * job flags nothing new then: a missing signal could make an active app look idle).
   */
  async collect(entityRefs: string[]): Promise<{
    activity: Map<string, { at: Date; signal: string }>;
    failed: string[];
  }> {
    const wanted = new Set(entityRefs.map(normalizeRef));
    const refs = [...wanted];
    const activity = new Map<string, { at: Date; signal: string }>();
    const failed: string[] = [];
    if (!refs.length) return { activity, failed };
    const answers = await Promise.all(
      this.options.signals.map(async signal => {
        try {
          return { signal, found: await signal.lastActivity(refs) };
        } catch (error) {
          this.options.logger.warn(
            `Activity signal '${signal.id}' failed: ${error}`,
            { signal: signal.id },
          );
          failed.push(signal.id);
          return { signal, found: new Map<string, Date>() };
        }
      }),
    );
    for (const { signal, found } of answers) {
      for (const [ref, at] of found) {
        const key = normalizeRef(ref);
        const time = at instanceof Date ? at.getTime() : NaN;
        // a signal answering for apps it was not asked about, or with no time, is ignored
        if (!Number.isFinite(time) || !wanted.has(key)) continue;
        const best = activity.get(key);
        if (!best || time > best.at.getTime()) {
          activity.set(key, { at: new Date(time), signal: signal.id });
        }
      }
    }
    return { activity, failed };
  }
}
