import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
import type { NewAuditRow } from './audit.repository.ts';

export type { NewAuditRow };

import * as repository from './audit.repository.ts';
import type { AuditRow } from './audit.table.ts';
import { type AuditContent, auditHash, canonicalJson, GENESIS_HASH } from './audit-chain.ts';

export interface AuditActor {
  id: number | null;
  name: string;
}

export interface RecordAuditOptions {
  actor: AuditActor;
  action: string;
  entityType: string;
  entityId: string | number;
  countyCode?: string | null;
  details?: Record<string, unknown>;
}

const SEAL_BATCH = 5_000;

export type AuditService = ReturnType<typeof createAuditService>;

export function createAuditService(deps: { clock: Clock }) {
  /**
   * Appends an entry inside the caller's transaction, so it exists exactly when the change it records does.
   * It takes no lock: the sealer links committed entries into the hash chain shortly after, so a thousand
   * reports a second do not queue behind one another's commits.
   */
  async function record(trx: Db, options: RecordAuditOptions): Promise<void> {
    await repository.insertAuditRow(trx, rowOf(options));
  }

  /**
   * The row `record` would append, for a caller that must write it in its own statement: report intake
   * writes case, history and audit entry in one round trip. The entity id is the caller's to fill in.
   */
  function rowOf(
    options: Omit<RecordAuditOptions, 'entityId'> & { entityId?: string | number },
  ): NewAuditRow {
    return {
      occurred_at: deps.clock.now(),
      actor_id: options.actor.id,
      actor_name: options.actor.name,
      action: options.action,
      entity_type: options.entityType,
      entity_id: String(options.entityId ?? ''),
      county_code: options.countyCode ?? null,
      details: canonicalJson(options.details ?? {}),
    };
  }

  /** Appends one entry per change of a batch (an import's), in the caller's transaction. */
  async function recordMany(trx: Db, entries: readonly RecordAuditOptions[]): Promise<void> {
    // Slices keep each statement well under PostgreSQL's 65,535 parameters.
    for (let start = 0; start < entries.length; start += 5_000) {
      await repository.insertAuditRows(trx, entries.slice(start, start + 5_000).map(rowOf));
    }
  }

  /** The history of one entity: its entries, oldest first (at most `limit`). */
  async function listEntityHistory(
    db: Db,
    options: { entityType: string; entityId: string | number; limit?: number },
  ): Promise<AuditRow[]> {
    return repository.listEntityEntries(
      db,
      options.entityType,
      String(options.entityId),
      options.limit ?? 500,
    );
  }

  /**
   * Entries of the given actions whose `details.regionCode` lies under `regionPrefix`, newest first: how a
   * module shows administrators the log of one kind of act in their scope.
   */
  async function listActions(
    db: Db,
    options: { actions: readonly string[]; regionPrefix: string; limit: number; offset: number },
  ): Promise<AuditRow[]> {
    return repository.listActionEntries(db, {
      actions: options.actions,
      regionPattern: likePrefix(options.regionPrefix),
      limit: options.limit,
      offset: options.offset,
    });
  }

  return { record, rowOf, recordMany, listEntityHistory, listActions };
}

function contentOf(row: AuditRow): AuditContent {
  return {
    occurredAt: row.occurred_at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    countyCode: row.county_code,
    details: row.details,
  };
}

/**
 * Links every committed, unsealed entry into the chain, in the order of their ids: each gets the next
 * sequence number, the previous entry's hash and its own. One sealer at a time (an advisory lock), in
 * batches; run every second by the server and before every verification. Returns how many were sealed.
 */
export async function sealAuditChain(db: Db): Promise<number> {
  let sealed = 0;
  for (;;) {
    const count = await db.transaction().execute(async (trx) => {
      await repository.lockAuditSealer(trx);
      const head = await repository.findChainHead(trx);
      const rows = await repository.listUnsealed(trx, SEAL_BATCH);
      let seq = head?.seq ?? 0;
      let prevHash = head?.hash ?? GENESIS_HASH;
      const links = rows.map((row) => {
        seq += 1;
        const hash = auditHash(prevHash, contentOf(row));
        const link = { id: row.id, seq, prevHash, hash };
        prevHash = hash;
        return link;
      });
      await repository.sealRows(trx, links);
      return links.length;
    });
    sealed += count;
    if (count < SEAL_BATCH) return sealed;
  }
}

export type AuditVerification =
  | { ok: true; entries: number; unsealed: number }
  | { ok: false; entries: number; brokenId: number; reason: 'edited' | 'deletedOrReordered' };

/**
 * Walks the sealed chain in sequence order. An entry whose hash does not match its own content was edited;
 * an entry whose `prev_hash` is not the hash of the one before, or whose sequence number skips, follows a
 * deletion or a reordering.
 */
export async function verifyAuditChain(
  db: Db,
  onProgress?: (checked: number) => void,
): Promise<AuditVerification> {
  let prev = GENESIS_HASH;
  let lastSeq = 0;
  let checked = 0;
  for (;;) {
    const rows = await repository.listSealedAfter(db, lastSeq, 5000);
    if (rows.length === 0)
      return { ok: true, entries: checked, unsealed: await repository.countUnsealed(db) };
    for (const row of rows) {
      const seq = row.seq ?? 0;
      if (row.prev_hash !== prev || seq !== lastSeq + 1) {
        return { ok: false, entries: checked, brokenId: row.id, reason: 'deletedOrReordered' };
      }
      if (auditHash(row.prev_hash, contentOf(row)) !== row.hash) {
        return { ok: false, entries: checked, brokenId: row.id, reason: 'edited' };
      }
      prev = row.hash;
      lastSeq = seq;
      checked++;
    }
    onProgress?.(checked);
  }
}
