import type { ColumnType, Generated } from 'kysely';

/** One row per case: what it counts for (see case-facts.ts). `overdue` is a tstzmultirange, read in SQL only. */
export interface CaseFactTable {
  case_id: number;
  region_code: string;
  department_id: number | null;
  source: string;
  reporter_id: number | null;
  /** The staff member who found the case (its reporter, for the worker sources); null: nobody on the staff. */
  worker_id: number | null;
  reported_at: Date;
  registered_at: Date | null;
  registered_on_time: boolean;
  dispatched_at: Date | null;
  returned: boolean;
  handled_at: Date | null;
  handled_on_time: boolean;
  handling_minutes: number | null;
  reworked_at: Date | null;
  extended_at: Date | null;
  closed_at: Date | null;
  closed_on_time: boolean;
  score: number | null;
  overdue: ColumnType<string, string, string>;
}

export interface CaseFactQueueTable {
  case_id: number;
}

/** The composite score's components and weights, one row per version. */
export interface IndicatorSchemeTable {
  version: Generated<number>;
  components: ColumnType<unknown, string, never>;
  note: string | null;
  created_by_name: string;
  created_at: Generated<Date>;
}

/** The counts per bucket (see counts.repository.ts for the columns; read through raw SQL). */
export interface EvaluationTables {
  case_facts: CaseFactTable;
  case_fact_queue: CaseFactQueueTable;
  indicator_schemes: IndicatorSchemeTable;
  evaluation_counts: {
    granularity: string;
    bucket: string;
    region_code: string;
    department_id: number;
    source: string;
  };
  evaluation_worker_counts: {
    granularity: string;
    bucket: string;
    region_code: string;
    worker_id: number;
    source: string;
  };
}
