import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, ENTITY, notFound } from '../../errors.ts';
import type { Actor } from '../people/actor.ts';
import { type EvidenceStore, sha256Of, sniffImageType } from './evidence-store.ts';

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

export type EvidenceService = ReturnType<typeof createEvidenceService>;

export function createEvidenceService(deps: { db: Db; clock: Clock; store: EvidenceStore }) {
  const { db, clock, store } = deps;

  /**
   * Stores a photo and returns its id, the SHA-256 of its bytes: uploading the same photo twice (a phone
   * retrying) gives the same id and stores it once.
   */
  async function uploadEvidence(actor: Actor, bytes: Buffer) {
    const mime = sniffImageType(bytes);
    if (!mime) {
      throw new AppError('VALIDATION_FAILED', {
        summary: { zh: '只接受 JPEG、PNG 或 WebP 图片', en: 'only JPEG, PNG or WebP images are accepted' },
      });
    }
    if (bytes.length > MAX_EVIDENCE_BYTES) {
      throw new AppError('VALIDATION_FAILED', {
        summary: { zh: '图片不能超过 10 MB', en: 'an image may not exceed 10 MB' },
      });
    }
    const sha256 = sha256Of(bytes);
    await store.put(sha256, bytes);
    await db
      .insertInto('evidence')
      .values({
        sha256,
        mime,
        size: bytes.length,
        uploaded_by: actor.id > 0 ? actor.id : null,
        uploaded_at: clock.now(),
      })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    return { id: sha256, mime, size: bytes.length };
  }

  async function readEvidence(id: string) {
    const row = await db.selectFrom('evidence').selectAll().where('sha256', '=', id).executeTakeFirst();
    const bytes = row ? await store.get(id) : null;
    if (!row || !bytes) throw notFound(ENTITY.evidence, id);
    return { mime: row.mime, bytes };
  }

  /** Evidence ids named by an action must be uploaded first; returns those that are not. */
  async function findMissing(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('evidence').select('sha256').where('sha256', 'in', ids).execute();
    const known = new Set(rows.map((r) => r.sha256));
    return ids.filter((id) => !known.has(id));
  }

  return { uploadEvidence, readEvidence, findMissing };
}
