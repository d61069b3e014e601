import type { Generated } from 'kysely';

/** One background job's bookkeeping: shared by every process on the database. */
export interface JobTable {
  name: string;
  last_started_at: Date | null;
  last_finished_at: Date | null;
  last_status: 'ok' | 'failed' | null;
  last_error: string | null;
  last_ms: number | null;
  runs: Generated<number>;
  failures: Generated<number>;
}
