import type { Db } from '../../db/database.ts';

/** A case just dispatched: its new lead department, and the category it was dispatched under. */
export interface CaseDispatched {
  caseId: number;
  departmentId: number;
  categoryId: number;
  at: Date;
}

/**
 * A subscriber to dispatches (Open311 outbound queues the case for the department's own system). It is called
 * inside the dispatch's transaction, so what it writes is rolled back with a refused dispatch; wired in deps.ts,
 * which keeps the cases module free of its subscribers.
 */
export type OnCaseDispatched = (trx: Db, event: CaseDispatched) => Promise<void>;
