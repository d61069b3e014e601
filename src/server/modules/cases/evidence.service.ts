import type { Evidence } from '../../../shared/cases.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, ENTITY, notFound } from '../../errors.ts';
import type { Actor } from '../people/actor.ts';
import type { EvidenceTable } from './evidence.table.ts';
import { inspectImage, UndecodableImageError, withoutMetadata } from './evidence-image.ts';
import { type EvidenceStore, sha256Of, sniffImageType } from './evidence-store.ts';

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

export type EvidenceService = ReturnType<typeof createEvidenceService>;

export function createEvidenceService(deps: { db: Db; clock: Clock; store: EvidenceStore }) {
  const { db, clock, store } = deps;

  /**
   * Stores a photo and its thumbnail and returns its id, the SHA-256 of its bytes: uploading the same photo
   * twice (a phone retrying) gives the same id and stores it once. The photo must decode: a file that only
   * starts like a JPEG is refused, so a verifier never opens a case to find a broken picture.
   */
  async function uploadEvidence(actor: Actor, bytes: Buffer): Promise<Evidence> {
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
    const known = await db.selectFrom('evidence').selectAll().where('sha256', '=', sha256).executeTakeFirst();
    if (known) return presentEvidence(known);
    const facts = await inspectImage(bytes).catch((error: unknown) => {
      if (!(error instanceof UndecodableImageError)) throw error;
      throw new AppError('VALIDATION_FAILED', {
        summary: {
          zh: '图片已损坏或无法识别，请重新拍摄或选择另一张',
          en: 'the image is damaged or cannot be read: take it again or choose another',
        },
      });
    });
    const thumbnailSha256 = sha256Of(facts.thumbnail);
    // Bytes first, row second: a row never names a file that is not there.
    await store.put(sha256, bytes);
    await store.put(thumbnailSha256, facts.thumbnail);
    const row: EvidenceTable = {
      sha256,
      mime,
      size: bytes.length,
      width: facts.width,
      height: facts.height,
      taken_at: facts.takenAt,
      lon: facts.lon,
      lat: facts.lat,
      thumbnail_sha256: thumbnailSha256,
      uploaded_by: actor.id > 0 ? actor.id : null,
      uploaded_at: clock.now(),
    };
    await db
      .insertInto('evidence')
      .values(row)
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    return presentEvidence(row);
  }

  /** The photo itself, or its thumbnail (always a JPEG). */
  async function readEvidence(id: string, variant: 'original' | 'thumbnail' = 'original') {
    const row = await db.selectFrom('evidence').selectAll().where('sha256', '=', id).executeTakeFirst();
    const key = variant === 'thumbnail' ? row?.thumbnail_sha256 : row?.sha256;
    const bytes = key ? await store.get(key) : null;
    if (!row || !bytes) throw notFound(ENTITY.evidence, id);
    return { mime: variant === 'thumbnail' ? 'image/jpeg' : row.mime, bytes };
  }

  /**
   * A photo as the public sees it: the thumbnail, or the photo stripped of its metadata — EXIF would tell
   * where and when the reporter stood, and with what phone.
   */
  async function readPublicEvidence(id: string, variant: 'original' | 'thumbnail' = 'original') {
    const file = await readEvidence(id, variant);
    return variant === 'thumbnail' ? file : { mime: file.mime, bytes: await withoutMetadata(file.bytes) };
  }

  /** What the named photos say of themselves, for a case page that shows when and where each was taken. */
  async function describeEvidence(ids: readonly string[]): Promise<Evidence[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('evidence').selectAll().where('sha256', 'in', ids).execute();
    return rows.map(presentEvidence);
  }

  /** Evidence ids named by an action must be uploaded first; returns those that are not. */
  async function findMissing(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('evidence').select('sha256').where('sha256', 'in', ids).execute();
    const known = new Set(rows.map((r) => r.sha256));
    return ids.filter((id) => !known.has(id));
  }

  return { uploadEvidence, readEvidence, readPublicEvidence, describeEvidence, findMissing };
}

function presentEvidence(row: EvidenceTable): Evidence {
  return {
    id: row.sha256,
    mime: row.mime,
    size: row.size,
    width: row.width,
    height: row.height,
    takenAt: row.taken_at ? row.taken_at.toISOString() : null,
    lon: row.lon,
    lat: row.lat,
  };
}
