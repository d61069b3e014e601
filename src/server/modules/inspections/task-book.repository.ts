import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
import type { Database } from '../../db/schema.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { CampaignAccessFacts } from './campaign.policy.ts';
import type { TaskBookRow, TaskBookTable, TaskBookTaskTable } from './inspection.table.ts';

/*
 * Task books and their tasks. A task's standing is read from its case (state, the unit's last 办结, the sweep's
 * escalation) and named by its department and region: read-only joins on the cases, departments and regions
 * tables, as the indicators do, so a book of 1,000 tasks is one statement rather than 1,000 case reads.
 */

/** A task with what its case, department and region say of it. */
export interface TaskFacts {
  id: number;
  task_book_id: number;
  position: number;
  description: string;
  department_id: number;
  department_name: string;
  region_code: string;
  region_name: string | null;
  responsible_name: string;
  case_id: number | null;
  case_number: string | null;
  case_state: string | null;
  case_version: number | null;
  case_return_count: number | null;
  /** The unit's last 办结 of the case, while the case stands handled or closed. */
  finished_at: Date | null;
  /** The sweep escalated the case's handling step (督办). */
  escalated: boolean;
}

export type BookWithNames = TaskBookRow & { region_name: string | null; category_name: string };

/** The tasks a scope holds: a region scope the tasks in its subtree, a department scope its own tasks. */
function taskVisible(
  eb: ExpressionBuilder<Database & { t: Database['task_book_tasks'] }, 't'>,
  scope: Scope,
): Expression<SqlBool> {
  if (scope.kind === 'department') return eb('t.department_id', '=', scope.departmentId);
  return regionCondition(eb, 't.region_code', scope);
}

export async function findCampaignFacts(
  db: Db,
  campaignId: number,
): Promise<(CampaignAccessFacts & { id: number; name: string }) | undefined> {
  const row = await db
    .selectFrom('inspection_campaigns')
    .select(['id', 'name', 'region_code', 'covert', 'published_at', 'organiser_id'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!row) return undefined;
  const inspectors = await db
    .selectFrom('campaign_inspectors')
    .select('user_id')
    .where('campaign_id', '=', campaignId)
    .execute();
  return {
    id: row.id,
    name: row.name,
    regionCode: row.region_code,
    covert: row.covert,
    publishedAt: row.published_at,
    organiserId: row.organiser_id,
    inspectorIds: inspectors.map((i) => i.user_id),
  };
}

/** Writes the book and its tasks (without cases yet); returns the book's id. */
export async function insertBook(
  trx: Db,
  book: Omit<TaskBookTable, 'id'>,
  tasks: readonly Omit<TaskBookTaskTable, 'id' | 'task_book_id' | 'case_id'>[],
): Promise<number> {
  const { id } = await trx.insertInto('task_books').values(book).returning('id').executeTakeFirstOrThrow();
  await trx
    .insertInto('task_book_tasks')
    .values(tasks.map((t) => ({ ...t, task_book_id: id, case_id: null })))
    .execute();
  return id;
}

/** Links a task to its case, once: a replayed issue finds the link already made. */
export async function linkTaskCase(trx: Db, taskId: number, caseId: number): Promise<void> {
  await trx
    .updateTable('task_book_tasks')
    .set({ case_id: caseId })
    .where('id', '=', taskId)
    .where('case_id', 'is', null)
    .execute();
}

export async function findBook(db: Db, id: number): Promise<BookWithNames | undefined> {
  return db
    .selectFrom('task_books as b')
    .innerJoin('categories as c', 'c.id', 'b.category_id')
    .leftJoin('regions as r', 'r.code', 'b.region_code')
    .selectAll('b')
    .select(['r.name as region_name', 'c.name as category_name'])
    .where('b.id', '=', id)
    .executeTakeFirst();
}

/** The books with a task the scope holds, newest first, with the total. */
export async function listBooks(
  db: Db,
  filter: {
    scope: Scope;
    region?: string | undefined;
    campaignId?: number | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ rows: BookWithNames[]; total: number }> {
  const base = db
    .selectFrom('task_books as b')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('task_book_tasks as t')
          .select(sql`1`.as('one'))
          .whereRef('t.task_book_id', '=', 'b.id')
          .where((inner) => taskVisible(inner as never, filter.scope)),
      ),
    )
    .$if(filter.region !== undefined, (q) =>
      q.where('b.region_code', 'like', likePrefix(filter.region as string)),
    )
    .$if(filter.campaignId !== undefined, (q) => q.where('b.campaign_id', '=', filter.campaignId as number));
  const [rows, count] = await Promise.all([
    base
      .innerJoin('categories as c', 'c.id', 'b.category_id')
      .leftJoin('regions as r', 'r.code', 'b.region_code')
      .selectAll('b')
      .select(['r.name as region_name', 'c.name as category_name'])
      .orderBy('b.created_at', 'desc')
      .orderBy('b.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.n };
}

/** The books of these ids (no scope: the caller read their tasks through one). */
export async function findBooks(db: Db, ids: readonly number[]): Promise<BookWithNames[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('task_books as b')
    .innerJoin('categories as c', 'c.id', 'b.category_id')
    .leftJoin('regions as r', 'r.code', 'b.region_code')
    .selectAll('b')
    .select(['r.name as region_name', 'c.name as category_name'])
    .where('b.id', 'in', [...ids])
    .execute();
}

/**
 * The tasks the scope holds, in book and position order, with their cases' standing. `bookIds` narrows to some
 * books; `deadlineBefore` to books whose deadline day is before that date (their deadline has passed);
 * `region` to books whose area lies in that region.
 */
export async function listTaskFacts(
  db: Db,
  filter: {
    scope: Scope;
    bookIds?: readonly number[];
    deadlineBefore?: string;
    region?: string | undefined;
  },
): Promise<TaskFacts[]> {
  if (filter.bookIds?.length === 0) return [];
  const rows = await db
    .selectFrom('task_book_tasks as t')
    .innerJoin('task_books as b', 'b.id', 't.task_book_id')
    .innerJoin('departments as d', 'd.id', 't.department_id')
    .leftJoin('regions as r', 'r.code', 't.region_code')
    .leftJoin('cases as c', 'c.id', 't.case_id')
    .select([
      't.id',
      't.task_book_id',
      't.position',
      't.description',
      't.department_id',
      'd.name as department_name',
      't.region_code',
      'r.name as region_name',
      't.responsible_name',
      't.case_id',
      'c.case_number',
      'c.state as case_state',
      'c.version as case_version',
      'c.return_count as case_return_count',
      sql<Date | null>`case when c.state in ('handled', 'closed') then (
        select max(e.at) from case_events e where e.case_id = c.id and e.action = 'finish') end`.as(
        'finished_at',
      ),
      sql<boolean>`exists (select 1 from case_events e where e.case_id = c.id and e.action = 'escalate'
        and e.data->>'step' = 'handle')`.as('escalated'),
    ])
    .where((eb) => taskVisible(eb as never, filter.scope))
    .$if(filter.bookIds !== undefined, (q) => q.where('t.task_book_id', 'in', [...(filter.bookIds ?? [])]))
    .$if(filter.deadlineBefore !== undefined, (q) =>
      q.where('b.deadline', '<', filter.deadlineBefore as string),
    )
    .$if(filter.region !== undefined, (q) =>
      q.where('b.region_code', 'like', likePrefix(filter.region as string)),
    )
    .orderBy('b.deadline')
    .orderBy('t.task_book_id')
    .orderBy('t.position')
    .execute();
  return rows.map((r) => ({ ...r, finished_at: r.finished_at === null ? null : new Date(r.finished_at) }));
}
