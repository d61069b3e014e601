import { type Kysely, sql } from 'kysely';

/**
 * A task book's tasks are written with the book, in its transaction; each task's case follows (the case service
 * writes a case in its own transaction), so a task has no case until it is issued. Issuing cut short leaves
 * tasks without one, which issuing again finishes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table task_book_tasks alter column case_id drop not null`.execute(db);
}
