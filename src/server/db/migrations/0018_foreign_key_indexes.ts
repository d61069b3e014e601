import { type Kysely, sql } from 'kysely';

/**
 * Indexes on the foreign keys that queries follow from the referenced side. PostgreSQL indexes a primary key
 * but not a column that references one, so without these a department's queue (cases dispatched to it), a
 * category's or reporter's cases, a case's inbox items, and a deletion checking its references all scan the
 * whole referencing table: at a district's millions of cases, seconds per request.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const indexes = [
    // A department's queue: `exists (… case_departments where department_id = ?)`.
    'create index case_departments_department on case_departments (department_id, case_id)',
    'create index cases_category on cases (category_id)',
    'create index cases_reporter on cases (reporter_id) where reporter_id is not null',
    'create index cases_merged_into on cases (merged_into) where merged_into is not null',
    'create index notifications_case on notifications (case_id) where case_id is not null',
    'create index users_department on users (department_id) where department_id is not null',
    'create index categories_parent on categories (parent_id)',
    'create index registry_organisations_address on registry_organisations (address_id) where address_id is not null',
    'create index registry_facilities_address on registry_facilities (address_id) where address_id is not null',
    'create index open311_client_updates_case on open311_client_updates (case_id)',
  ];
  for (const statement of indexes) await sql.raw(statement).execute(db);
}
