import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { FormDefinition, FormText } from '../../../shared/forms.ts';
import type { Db } from '../../db/database.ts';
import { likeContaining, likePrefix } from '../../db/like.ts';
import type { Database } from '../../db/schema.ts';
import type { Scope } from '../people/scope.ts';
import type { FormRow, FormVersionRow } from './form.table.ts';

/** A version without its definition, with its question count: what lists show. */
export interface VersionHead {
  id: number;
  form_id: number;
  version: number;
  published_at: Date | null;
  question_count: number;
}

export type FormWithAuthor = FormRow & { created_by_name: string | null };

/**
 * The forms a scope reads: those owned inside it (its own and its subtree's) and those owned by a region above
 * it (a town's form is filled in by its villages' grid workers). Never a sibling's.
 */
function readable(eb: ExpressionBuilder<Database, 'forms'>, scope: Scope): Expression<SqlBool> {
  switch (scope.kind) {
    case 'everything':
      return eb.lit(true);
    case 'regions':
      return eb.or([
        eb('forms.region_code', 'like', likePrefix(scope.prefix)),
        eb(eb.val(scope.prefix), 'like', sql<string>`forms.region_code || '%'`),
      ]);
    default:
      return eb.lit(false);
  }
}

/** The forms the scope reads, with their author's name. */
function withAuthor(db: Db, scope: Scope) {
  return db
    .selectFrom('forms')
    .where((eb) => readable(eb, scope))
    .leftJoin('users', 'users.id', 'forms.created_by')
    .selectAll('forms')
    .select('users.display_name as created_by_name');
}

export async function listForms(
  db: Db,
  scope: Scope,
  filter: { q?: string | undefined },
): Promise<FormWithAuthor[]> {
  let query = withAuthor(db, scope);
  if (filter.q) {
    const pattern = likeContaining(filter.q);
    query = query.where((eb) =>
      eb.or([eb('forms.code', 'like', pattern), eb(sql<string>`forms.title->>'zh'`, 'like', pattern)]),
    );
  }
  return query.orderBy('forms.updated_at', 'desc').orderBy('forms.id', 'desc').limit(500).execute();
}

/** One form if the scope reads it. */
export async function findForm(db: Db, scope: Scope, id: number): Promise<FormWithAuthor | undefined> {
  return withAuthor(db, scope).where('forms.id', '=', id).executeTakeFirst();
}

export async function findFormByCode(db: Db, code: string): Promise<FormRow | undefined> {
  return db.selectFrom('forms').selectAll().where('code', '=', code).executeTakeFirst();
}

/** The version heads of the forms, oldest version first per form. */
export async function listVersionHeads(db: Db, formIds: readonly number[]): Promise<VersionHead[]> {
  if (formIds.length === 0) return [];
  return db
    .selectFrom('form_versions')
    .select([
      'id',
      'form_id',
      'version',
      'published_at',
      sql<number>`jsonb_array_length(definition->'questions')::int`.as('question_count'),
    ])
    .where('form_id', 'in', formIds)
    .orderBy('form_id')
    .orderBy('version')
    .execute();
}

export async function findVersion(db: Db, id: number): Promise<FormVersionRow | undefined> {
  return db.selectFrom('form_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findFormById(db: Db, id: number): Promise<FormRow | undefined> {
  return db.selectFrom('forms').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findLatestVersion(
  db: Db,
  formId: number,
  options: { publishedOnly: boolean },
): Promise<FormVersionRow | undefined> {
  let query = db.selectFrom('form_versions').selectAll().where('form_id', '=', formId);
  if (options.publishedOnly) query = query.where('published_at', 'is not', null);
  return query.orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export async function insertForm(
  db: Db,
  values: {
    code: string;
    title: FormText;
    region_code: string;
    county_code: string;
    created_by: number | null;
    synthetic?: boolean;
    at: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto('forms')
    .values({
      code: values.code,
      title: JSON.stringify(values.title),
      region_code: values.region_code,
      county_code: values.county_code,
      created_by: values.created_by,
      synthetic: values.synthetic ?? false,
      created_at: values.at,
      updated_at: values.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertVersion(
  db: Db,
  values: {
    form_id: number;
    version: number;
    title: FormText;
    definition: FormDefinition;
    published_at: Date | null;
    created_by: number | null;
    at: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto('form_versions')
    .values({
      form_id: values.form_id,
      version: values.version,
      title: JSON.stringify(values.title),
      definition: JSON.stringify(values.definition),
      published_at: values.published_at,
      created_by: values.created_by,
      created_at: values.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Rewrites a draft; a published version is never matched, so it cannot change. */
export async function updateDraft(
  db: Db,
  id: number,
  values: { title: FormText; definition: FormDefinition },
): Promise<boolean> {
  const result = await db
    .updateTable('form_versions')
    .set({ title: JSON.stringify(values.title), definition: JSON.stringify(values.definition) })
    .where('id', '=', id)
    .where('published_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function publishDraft(db: Db, id: number, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('form_versions')
    .set({ published_at: at })
    .where('id', '=', id)
    .where('published_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Claims the form at the row version the editor read (optimistic concurrency); false when stale. */
export async function claimForm(
  db: Db,
  id: number,
  rowVersion: number,
  values: { at: Date; title?: FormText },
): Promise<boolean> {
  const result = await db
    .updateTable('forms')
    .set((eb) => ({
      row_version: eb('row_version', '+', 1),
      updated_at: values.at,
      ...(values.title ? { title: JSON.stringify(values.title) } : {}),
    }))
    .where('id', '=', id)
    .where('row_version', '=', rowVersion)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
