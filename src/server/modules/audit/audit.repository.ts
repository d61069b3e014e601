import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AuditRow } from './audit.table.ts';

// Any constant works: it names the lock that lets one sealer at a time extend the chain.
const AUDIT_SEAL_LOCK = 73_110_001;

export async function lockAuditSealer(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_SEAL_LOCK})`.execute(trx);
}

/** An entry as appended: unsealed, its details already canonical JSON. */
export type NewAuditRow = Omit<AuditRow, 'id' | 'details' | 'seq' | 'prev_hash' | 'hash'> & {
  details: string;
};

export async function insertAuditRow(trx: Db, row: NewAuditRow) {
  await trx.insertInto('audit_log').values(row).execute();
}

/** Appends many entries in one statement (an import batch's). */
export async function insertAuditRows(trx: Db, rows: readonly NewAuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('audit_log')
    .values([...rows])
    .execute();
}

/**
 * The entries about one entity, oldest first: its history. Besides its own entries, those about many entities of
 * its type at once (`entity_id` '*', as an import batch writes) whose `details.ids` lists it.
 */
export async function listEntityEntries(
  db: Db,
  entityType: string,
  entityId: string,
  limit: number,
): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where((eb) =>
      /^\d+$/.test(entityId)
        ? eb.or([
            eb('entity_id', '=', entityId),
            eb.and([
              eb('entity_id', '=', '*'),
              sql<boolean>`details->'ids' @> jsonb_build_array(${Number(entityId)}::bigint)`,
            ]),
          ])
        : eb('entity_id', '=', entityId),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Entries of some actions about regions matching `regionPattern` (their `details.regionCode`), newest first. */
export async function listActionEntries(
  db: Db,
  filter: { actions: readonly string[]; regionPattern: string; limit: number; offset: number },
): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', 'in', [...filter.actions])
    .where(sql<boolean>`details->>'regionCode' like ${filter.regionPattern}`)
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

export async function findChainHead(trx: Db): Promise<{ seq: number; hash: string } | null> {
  const row = await trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('seq', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.seq != null && row.hash ? { seq: row.seq, hash: row.hash } : null;
}

export async function listUnsealed(trx: Db, limit: number): Promise<AuditRow[]> {
  return trx
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Writes the chain links of a batch in one statement. */
export async function sealRows(
  trx: Db,
  links: readonly { id: number; seq: number; prevHash: string; hash: string }[],
): Promise<void> {
  if (links.length === 0) return;
  await sql`
    update audit_log set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
    from (select unnest(${links.map((l) => l.id)}::bigint[]) as id,
                 unnest(${links.map((l) => l.seq)}::bigint[]) as seq,
                 unnest(${links.map((l) => l.prevHash)}::text[]) as prev_hash,
                 unnest(${links.map((l) => l.hash)}::text[]) as hash) as v
    where audit_log.id = v.id`.execute(trx);
}

export async function listSealedAfter(db: Db, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function countUnsealed(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('seq', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}
