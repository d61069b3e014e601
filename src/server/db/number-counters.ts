import { sql } from 'kysely';
import type { Db } from './database.ts';

/*
 * Yearly running numbers of the documents offices file (检查意见书 JC-2026-000123, 调字第0001号 …), one counter row
 * per kind and year (migration 0045). A counter rather than a sequence: numbers restart every year, and a number
 * taken by a transaction that rolls back is given again, so an office's register has no gaps. Case numbers are a
 * sequence instead (migration 0029): they run on across years and days, and a gap there means nothing.
 */

/**
 * The next number of a kind in a year. The upsert locks the counter row until the caller's transaction ends, so
 * concurrent callers take consecutive numbers; call it inside the transaction that writes the numbered row.
 */
export async function nextNumber(trx: Db, kind: string, year: number): Promise<number> {
  const row = await trx
    .insertInto('number_counters')
    .values({ kind, year, last: 1 })
    .onConflict((oc) =>
      oc.columns(['kind', 'year']).doUpdateSet({ last: sql<number>`number_counters.last + 1` }),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

/** Records numbers issued without the counter (a bulk load): the next one given is past `last`. */
export async function raiseNumber(trx: Db, kind: string, year: number, last: number): Promise<void> {
  await trx
    .insertInto('number_counters')
    .values({ kind, year, last })
    .onConflict((oc) =>
      oc
        .columns(['kind', 'year'])
        .doUpdateSet({ last: sql<number>`greatest(number_counters.last, ${last})` }),
    )
    .execute();
}
