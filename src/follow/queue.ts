// The job queue `sitrep watch` and `sitrep worker` share on a PostgreSQL store: polls of sources
// and ingests of their new items are jobs in the same database (pg-boss, in its own schema), taken
// by any number of worker processes. pg-boss because a job whose worker dies (no heartbeat, no
// completion) expires after its time limit and is retried by another worker, and a job key
// ("stately" queues) keeps one job per source or item queued at a time.
import PgBoss from 'pg-boss';
import { InputError } from '../errors.js';
import type { SourceSpec } from './sources.js';

export const POLL = 'sitrep-poll';
export const INGEST = 'sitrep-ingest';

/** pg-boss's own tables live in this schema of the store's database. */
const SCHEMA = 'sitrep_jobs';

/** A poll job: the source, and how often to poll it again (none: once). */
export interface PollJob {
  spec: SourceSpec;
  everyMs: number | null;
}

/** An ingest job: one new item of a source (what `Watcher.ingest` takes); the item as JSON. */
export interface IngestJob<Item = unknown> {
  source: string;
  /** The item's key within its source (guid, link, file version). */
  key: string;
  item: Item;
  /** The article page to fetch for a summary-only feed item. */
  article: string | null;
  /** The key of the item before it in its feed, to be stored first (workers keep feed order). */
  after?: string | null;
}

export interface QueueOptions {
  /** A job not finished in this time (its worker died or hangs) is retried by another worker. */
  jobTimeoutS: number;
  /** How often a worker looks for expired jobs and new ones. */
  checkEveryS?: number;
}

export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly o: QueueOptions,
  ) {}

  static async open(url: string, o: QueueOptions, onError: (e: Error) => void): Promise<JobQueue> {
    const boss = new PgBoss({ connectionString: url, schema: SCHEMA, max: 4, schedule: false, maintenanceIntervalSeconds: o.checkEveryS ?? 10 });
    boss.on('error', onError);
    try {
      await boss.start();
    } catch (e) {
      throw new InputError(`cannot start the job queue (${(e as Error).message})`);
    }
    for (const name of [POLL, INGEST]) {
      // A failed job is retried at once: the commonest failure is an ingest that waited too long
      // for the item before it in its feed, and that item has a higher priority, so it is taken
      // first. Any delay lets waiting successors fill every slot while their predecessors sit
      // out the delay, and the feed then moves one round of timeouts at a time.
      const options: PgBoss.Queue = { name, policy: 'stately', retryLimit: 30, retryDelay: 0, retryBackoff: false, expireInSeconds: o.jobTimeoutS };
      const retries = (q: PgBoss.QueueResult | null) => !!q && q.retryLimit === options.retryLimit && q.retryDelay === options.retryDelay && q.retryBackoff === options.retryBackoff;
      // Processes starting at once may all create the queue, or update an older store's queue
      // to this version's retries. PostgreSQL may end one of them as a deadlock, before the
      // other has committed: the loser looks again a moment later and finds it done. Each job
      // carries its own time limit, so a queue's default is left as it is.
      for (let attempt = 1; ; attempt++) {
        const have = await boss.getQueue(name);
        if (retries(have)) break;
        try {
          await (have ? boss.updateQueue(name, options) : boss.createQueue(name, options));
          break;
        } catch (e) {
          if (attempt >= 5) throw e;
          await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 200));
        }
      }
    }
    return new JobQueue(boss, o);
  }

  /** Queues a poll of each source (one queued poll per source at a time), now or at `startAfter`. */
  async poll(jobs: PollJob[], startAfter?: Date): Promise<void> {
    await this.boss.insert(jobs.map((data) => ({ name: POLL, data, singletonKey: data.spec.source, expireInSeconds: this.o.jobTimeoutS, ...(startAfter ? { startAfter } : {}) })));
  }

  /**
   * Queues ingests of new items (one queued ingest per source and item at a time), taken in
   * the order given: the first has the highest priority (pg-boss takes the highest first).
   */
  async ingest<I>(jobs: IngestJob<I>[]): Promise<void> {
    if (jobs.length) await this.boss.insert(jobs.map((data, i) => ({ name: INGEST, data, priority: -i, singletonKey: `${data.source}\n${data.key}`, expireInSeconds: this.o.jobTimeoutS })));
  }

  /** Jobs waiting or running. */
  async pending(): Promise<number> {
    return (await this.boss.getQueueSize(POLL, { before: 'completed' })) + (await this.boss.getQueueSize(INGEST, { before: 'completed' }));
  }

  /** Takes jobs until `stop`: `concurrency` at a time of each kind. A handler that throws fails the job (retried). */
  async work(concurrency: number, handlers: { poll: (j: PollJob) => Promise<void>; ingest: (j: IngestJob<never>) => Promise<void> }): Promise<void> {
    const every = this.o.checkEveryS ?? 2;
    const take = async <T>(name: string, handler: (data: T) => Promise<void>) => {
      let id = '';
      id = await this.boss.work<T>(name, { pollingIntervalSeconds: every }, async ([job]) => {
        try {
          await handler(job!.data);
        } finally {
          // pg-boss waits the polling interval after every job; one that found a job looks again at once.
          this.boss.notifyWorker(id);
        }
      });
    };
    for (let i = 0; i < concurrency; i++) {
      await take(POLL, handlers.poll);
      await take(INGEST, handlers.ingest);
    }
  }

  /** Stops taking jobs and waits (up to `timeoutS`) for those running to finish. */
  stop(timeoutS = 30): Promise<void> {
    return this.boss.stop({ graceful: true, wait: true, timeout: timeoutS * 1000 });
  }
}
