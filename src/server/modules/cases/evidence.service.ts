import type { Evidence } from '../../../shared/cases.ts';
import type { Role } from '../../../shared/roles.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, ENTITY, notFound } from '../../errors.ts';
import type { Actor } from '../people/actor.ts';
import { caseScope } from '../people/scope.ts';
import { photoInScope } from './case.repository.ts';
import * as evidenceRows from './evidence.repository.ts';
import type { EvidenceTable } from './evidence.table.ts';
import { inspectImage, UndecodableImageError, withoutMetadata } from './evidence-image.ts';
import { type EvidenceStore, sha256Of, sniffImageType } from './evidence-store.ts';

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

/**
 * The roles served an original photo with its EXIF (GPS position, time, camera model): those who check where a
 * photo was taken — the dispatcher registering a report, the inspector and administrator verifying or auditing
 * it. Everyone else (department handlers, leaders, grid workers) gets the photo turned upright without metadata:
 * the time and place read at upload still show beside it on the case page, and the phone that took it is no
 * one else's business.
 */
export const EXIF_READER_ROLES: readonly Role[] = ['administrator', 'dispatcher', 'inspector'];

/** Where the photo is shown: the case or inspection visit that names it, to check the reader's right quickly. */
interface PhotoContext {
  caseId?: number | undefined;
  visitId?: number | undefined;
}

/** A photo as served: its type, bytes, and a tag that changes when the bytes do (for conditional requests). */
export interface EvidenceFile {
  mime: string;
  bytes: Buffer;
  etag: string;
}

/**
 * Whether the actor may see the photo as one of an inspection visit's. The module that owns visits answers it
 * (wired in deps.ts), so this module needs to know nothing of inspections.
 */
export type VisitPhotoCheck = (actor: Actor, visitId: number, sha256: string) => Promise<boolean>;

export type EvidenceService = ReturnType<typeof createEvidenceService>;

export function createEvidenceService(deps: {
  db: Db;
  clock: Clock;
  store: EvidenceStore;
  visitShowsPhoto?: VisitPhotoCheck;
}) {
  const { db, clock, store, visitShowsPhoto } = deps;

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
    const known = await evidenceRows.findEvidence(db, sha256);
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
    await evidenceRows.insertEvidence(db, row);
    return presentEvidence(row);
  }

  /** The stored photo or its thumbnail (always a JPEG), whoever asks: callers decide who may. */
  async function readStored(id: string, variant: 'original' | 'thumbnail') {
    const row = await evidenceRows.findEvidence(db, id);
    const key = variant === 'thumbnail' ? row?.thumbnail_sha256 : row?.sha256;
    const bytes = key ? await store.get(key) : null;
    if (!row || !bytes) throw notFound(ENTITY.evidence, id);
    return { row, mime: variant === 'thumbnail' ? 'image/jpeg' : row.mime, bytes };
  }

  /**
   * Whether the actor may see a photo: its uploader may (a report's photos are shown before the report is
   * sent), and so may whoever may read a case whose history names it, or an inspection visit that names it.
   * `caseId`, when the case page says whose photo it shows, makes that one indexed look-up; without it, or when
   * it does not hold, every case is asked. A visit is asked only when `visitId` names it.
   */
  async function mayReadPhoto(actor: Actor, row: EvidenceTable, where: PhotoContext) {
    const scope = caseScope(actor);
    if (scope.kind === 'everything') return true;
    if (actor.id > 0 && row.uploaded_by === actor.id) return true;
    const { caseId, visitId } = where;
    if (caseId !== undefined && (await photoInScope(db, { sha256: row.sha256, scope, caseId }))) return true;
    if (visitId !== undefined && visitShowsPhoto && (await visitShowsPhoto(actor, visitId, row.sha256)))
      return true;
    return photoInScope(db, { sha256: row.sha256, scope });
  }

  /**
   * A photo for a signed-in user, or its thumbnail (always a JPEG, never with metadata): only to those who may
   * see it (else NOT_FOUND, as for a photo that does not exist), and the original with its EXIF only to the
   * roles that check where photos were taken (EXIF_READER_ROLES).
   */
  async function readEvidence(
    actor: Actor,
    id: string,
    options: { variant?: 'original' | 'thumbnail' } & PhotoContext = {},
  ): Promise<EvidenceFile> {
    const variant = options.variant ?? 'original';
    const file = await readStored(id, variant);
    if (!(await mayReadPhoto(actor, file.row, options))) throw notFound(ENTITY.evidence, id);
    if (variant === 'thumbnail') return { mime: file.mime, bytes: file.bytes, etag: `"${id}-t"` };
    if (EXIF_READER_ROLES.includes(actor.role))
      return { mime: file.mime, bytes: file.bytes, etag: `"${id}"` };
    return { mime: file.mime, bytes: await strippedCopy(id, file.bytes), etag: `"${id}-s"` };
  }

  /** The photo without metadata, made once and kept beside it: re-encoding a large photo costs a second. */
  async function strippedCopy(id: string, bytes: Buffer): Promise<Buffer> {
    const key = `${id}-stripped`;
    const kept = await store.get(key);
    if (kept) return kept;
    const stripped = await withoutMetadata(bytes);
    await store.put(key, stripped);
    return stripped;
  }

  /**
   * A photo as the public sees it: the thumbnail, or the photo stripped of its metadata — EXIF would tell
   * where and when the reporter stood, and with what phone. The portal decides which photos are public.
   */
  async function readPublicEvidence(id: string, variant: 'original' | 'thumbnail' = 'original') {
    const file = await readStored(id, variant);
    return {
      mime: file.mime,
      bytes: variant === 'thumbnail' ? file.bytes : await strippedCopy(id, file.bytes),
    };
  }

  /** What the named photos say of themselves, for a case page that shows when and where each was taken. */
  async function describeEvidence(ids: readonly string[]): Promise<Evidence[]> {
    return (await evidenceRows.listEvidence(db, ids)).map(presentEvidence);
  }

  /** Evidence ids named by an action must be uploaded first; returns those that are not. */
  async function findMissing(ids: readonly string[]): Promise<string[]> {
    const known = new Set((await evidenceRows.listEvidence(db, ids)).map((r) => r.sha256));
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
