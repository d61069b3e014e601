import exifr from 'exifr';
import sharp, { type Metadata } from 'sharp';

/** The long side of a thumbnail, in pixels: enough for a timeline row or a phone list, a few KB each. */
export const THUMBNAIL_SIZE = 320;
/** Larger images are refused before they are decoded: a decompression bomb must not take the server down. */
export const MAX_EVIDENCE_PIXELS = 60_000_000;

export interface ImageFacts {
  width: number;
  height: number;
  /** When the photo was taken, from EXIF; null when the camera did not say (screenshots, edited files). */
  takenAt: Date | null;
  /** Where it was taken (WGS-84), from EXIF GPS; null when absent or obviously invalid. */
  lon: number | null;
  lat: number | null;
  thumbnail: Buffer;
}

export class UndecodableImageError extends Error {}

/**
 * Reads what a field photo says about itself and makes its thumbnail. The thumbnail is turned upright
 * (EXIF orientation) and stripped of metadata, so a list never leaks the place a photo was taken.
 */
export async function inspectImage(bytes: Buffer): Promise<ImageFacts> {
  let metadata: Metadata;
  let thumbnail: Buffer;
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_EVIDENCE_PIXELS, failOn: 'error' });
    metadata = await image.metadata();
    thumbnail = await image
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 75 })
      .toBuffer();
  } catch (error) {
    throw new UndecodableImageError(error instanceof Error ? error.message : String(error));
  }
  // Orientations 5–8 are rotated a quarter turn: the picture the user sees is height × width.
  const turned = (metadata.orientation ?? 1) >= 5;
  const exif = await readExif(bytes);
  return {
    width: (turned ? metadata.height : metadata.width) ?? 0,
    height: (turned ? metadata.width : metadata.height) ?? 0,
    ...exif,
    thumbnail,
  };
}

async function readExif(bytes: Buffer): Promise<Pick<ImageFacts, 'takenAt' | 'lon' | 'lat'>> {
  const none = { takenAt: null, lon: null, lat: null };
  let tags: Record<string, unknown> | undefined;
  try {
    // Raw values: exifr would read the offset-less EXIF time in the server's own zone.
    tags = await exifr.parse(bytes, {
      gps: true,
      reviveValues: false,
      // exifr derives latitude/longitude from the raw GPS tags, so those must be picked too.
      pick: [
        'DateTimeOriginal',
        'OffsetTimeOriginal',
        'GPSLatitude',
        'GPSLatitudeRef',
        'GPSLongitude',
        'GPSLongitudeRef',
      ],
    });
  } catch {
    return none; // Broken or absent EXIF is common (messaging apps strip it); the photo is still evidence.
  }
  if (!tags) return none;
  const lat = typeof tags.latitude === 'number' ? tags.latitude : null;
  const lon = typeof tags.longitude === 'number' ? tags.longitude : null;
  // Phones without a fix write 0/0; that is "unknown", not a point in the Gulf of Guinea.
  const hasPoint =
    lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && (lat !== 0 || lon !== 0);
  return {
    takenAt: exifTime(tags.DateTimeOriginal, tags.OffsetTimeOriginal),
    lon: hasPoint ? lon : null,
    lat: hasPoint ? lat : null,
  };
}

/**
 * EXIF writes local time as "YYYY:MM:DD HH:MM:SS" and, on newer cameras, its offset separately. Without an
 * offset the photo was taken where gridgov works, so Beijing time is the honest reading.
 */
export function exifTime(value: unknown, offset: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (!match) return null;
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : '+08:00';
  const [, y, mo, d, h, mi, s] = match;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The photo turned upright and without metadata (EXIF place, time, camera): the copy shown to the public. */
export async function withoutMetadata(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes, { limitInputPixels: MAX_EVIDENCE_PIXELS }).rotate().toBuffer();
}
