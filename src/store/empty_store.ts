import { JobNotFoundError } from "../core/errors.ts";
import type { Job } from "../core/job.ts";
import { zeroStateCounts } from "../core/job_state.ts";
import type {
  ExistingDataStore,
  FailedJobSelection,
  QueueSummary,
  RetriedJobs,
  StatusCounts,
  WorkerRecord,
} from "./store.ts";

/**
 * A database that does not exist yet, answering as an empty one would: no jobs, queues,
 * workers or stored config values, and nothing to change. It creates nothing, so a reading
 * command on a fresh or mistyped data directory leaves no directory behind.
 */
export class EmptyStore implements ExistingDataStore {
  /** Where the database would be (`status --json` shows it). */
  readonly location: string;
  readonly commitFile = null;

  constructor(location: string) {
    this.location = location;
  }

  readConfigValues(): Promise<Map<string, string>> {
    return Promise.resolve(new Map());
  }

  getJob(): Promise<Job | null> {
    return Promise.resolve(null);
  }

  getJobs(): Promise<Map<string, Job>> {
    return Promise.resolve(new Map());
  }

  listJobs(): Promise<Job[]> {
    return Promise.resolve([]);
  }

  unfinishedJobs(): Promise<Job[]> {
    return Promise.resolve([]);
  }

  endedJobs(ids: readonly string[]): Promise<Map<string, Job | null>> {
    return Promise.resolve(new Map(ids.map((id) => [id, null])));
  }

  statusCounts(): Promise<StatusCounts> {
    return Promise.resolve({ jobs: zeroStateCounts(), longestWaiting: null, recoveredTotal: 0 });
  }

  listQueues(): Promise<QueueSummary[]> {
    return Promise.resolve([]);
  }

  pausedQueues(): Promise<string[]> {
    return Promise.resolve([]);
  }

  workRemains(): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** Constant: nothing commits to a database that does not exist. */
  dataVersion(): Promise<number> {
    return Promise.resolve(0);
  }

  listWorkers(): Promise<WorkerRecord[]> {
    return Promise.resolve([]);
  }

  /** No worker has a row here, so there is none to remove. */
  removeWorkers(): Promise<void> {
    return Promise.resolve();
  }

  requestStop(): Promise<number[]> {
    return Promise.resolve([]);
  }

  pruneJobs(): Promise<string[]> {
    return Promise.resolve([]);
  }

  /** No job exists: a named one is unknown, and "all" finds none. */
  retryFailedJobs(selection: FailedJobSelection): Promise<RetriedJobs> {
    if (Array.isArray(selection) && selection.length > 0) {
      return Promise.reject(new JobNotFoundError(selection[0]!, "nothing was retried"));
    }
    return Promise.resolve({ retried: [], underway: [] });
  }

  /** No worker has a row here, so none has a socket to wake. */
  listWakeSockets(): Promise<string[]> {
    return Promise.resolve([]);
  }
}
