import { sql } from 'kysely';
import type { TemplateStatus } from '../../../shared/inspections.ts';
import type { Db } from '../../db/database.ts';
import { likeContaining } from '../../db/like.ts';
import type { ChecklistItemRow, ChecklistTemplateRow } from './inspection.table.ts';

/** A template version with the totals of its items. */
export type TemplateWithTotals = ChecklistTemplateRow & {
  item_count: number;
  points_total: number;
  veto_count: number;
};

export type ItemWithCategory = ChecklistItemRow & {
  category_code: string | null;
  category_name: string | null;
};

export type NewItem = Omit<ChecklistItemRow, 'id' | 'template_id'>;

function withTotals(db: Db) {
  return db
    .selectFrom('checklist_templates as t')
    .leftJoin('checklist_items as i', 'i.template_id', 't.id')
    .selectAll('t')
    .select([
      sql<number>`count(i.id)::int`.as('item_count'),
      sql<number>`coalesce(sum(i.points), 0)::float8`.as('points_total'),
      sql<number>`count(i.id) filter (where i.veto)::int`.as('veto_count'),
    ])
    .groupBy('t.id');
}

/**
 * Every version of the codes that match the filter, oldest version first per code. The filter on the name and
 * code looks at any version, so a renamed template is still found by its former name.
 */
export async function listTemplateVersions(
  db: Db,
  filter: { q?: string | undefined },
): Promise<TemplateWithTotals[]> {
  let query = withTotals(db);
  if (filter.q) {
    const pattern = likeContaining(filter.q);
    query = query.where('t.code', 'in', (eb) =>
      eb
        .selectFrom('checklist_templates')
        .select('code')
        .where((w) => w.or([w('name', 'like', pattern), w('code', 'like', pattern)])),
    );
  }
  return query.orderBy('t.code').orderBy('t.version').execute();
}

export async function findTemplate(db: Db, id: number): Promise<TemplateWithTotals | undefined> {
  return withTotals(db).where('t.id', '=', id).executeTakeFirst();
}

export async function listVersionsOfCode(db: Db, code: string): Promise<ChecklistTemplateRow[]> {
  return db
    .selectFrom('checklist_templates')
    .selectAll()
    .where('code', '=', code)
    .orderBy('version')
    .execute();
}

export async function listItems(db: Db, templateId: number): Promise<ItemWithCategory[]> {
  return db
    .selectFrom('checklist_items as i')
    .leftJoin('categories as c', 'c.id', 'i.category_id')
    .selectAll('i')
    .select(['c.code as category_code', 'c.name as category_name'])
    .where('i.template_id', '=', templateId)
    .orderBy('i.position')
    .execute();
}

/** Whether any campaign or visit names the version: then its items must stay as they are. */
export async function isTemplateUsed(db: Db, templateId: number): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .or([
          eb.exists(eb.selectFrom('inspection_campaigns').select('id').where('template_id', '=', templateId)),
          eb.exists(eb.selectFrom('inspection_visits').select('id').where('template_id', '=', templateId)),
        ])
        .as('used'),
    ])
    .executeTakeFirstOrThrow();
  return Boolean(row.used);
}

export async function insertTemplate(
  db: Db,
  values: {
    code: string;
    version: number;
    name: string;
    description: string;
    site_types: string[];
    region_code: string;
    created_by: number | null;
    at: Date;
  },
): Promise<number> {
  const { at, ...rest } = values;
  const { id } = await db
    .insertInto('checklist_templates')
    .values({ ...rest, status: 'draft', created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertItems(db: Db, templateId: number, items: readonly NewItem[]): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('checklist_items')
    .values(
      items.map((item) => ({
        ...item,
        template_id: templateId,
        rectify_limit: JSON.stringify(item.rectify_limit),
      })),
    )
    .execute();
}

export async function deleteItems(db: Db, templateId: number): Promise<void> {
  await db.deleteFrom('checklist_items').where('template_id', '=', templateId).execute();
}

/**
 * Changes the version's row when it still has the row version read, and counts the change. With no values it
 * only claims the row, so that of two edits started from the same version only one goes on.
 */
export async function updateTemplateAtVersion(
  db: Db,
  id: number,
  rowVersion: number,
  values: {
    at: Date;
    name?: string;
    description?: string;
    site_types?: string[];
    status?: TemplateStatus;
  },
): Promise<boolean> {
  const { at, ...rest } = values;
  const result = await db
    .updateTable('checklist_templates')
    .set({ ...rest, updated_at: at, row_version: sql`row_version + 1` })
    .where('id', '=', id)
    .where('row_version', '=', rowVersion)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Retires the code's active versions other than `exceptId`: their ids. */
export async function retireOtherActive(db: Db, code: string, exceptId: number, at: Date): Promise<number[]> {
  const rows = await db
    .updateTable('checklist_templates')
    .set({ status: 'retired', updated_at: at, row_version: sql`row_version + 1` })
    .where('code', '=', code)
    .where('status', '=', 'active')
    .where('id', '<>', exceptId)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function nextVersionOf(db: Db, code: string): Promise<number> {
  const row = await db
    .selectFrom('checklist_templates')
    .select(sql<number>`coalesce(max(version), 0)::int + 1`.as('next'))
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return row.next;
}
