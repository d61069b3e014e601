import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { samplePhoto } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import { exifTime } from './evidence-image.ts';

describe('photo evidence', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const upload = (bytes: Buffer) => ctx.services.evidence.uploadEvidence(systemActor(), bytes);

  it('reads when and where a phone photo was taken, in Beijing time', async () => {
    const photo = await upload(
      await samplePhoto({ takenAt: '2026:09:30 16:05:00', lon: 112.945123, lat: 22.850456 }),
    );
    expect(photo.takenAt).toBe('2026-09-30T08:05:00.000Z');
    expect(photo.lon).toBeCloseTo(112.945123, 5);
    expect(photo.lat).toBeCloseTo(22.850456, 5);
    expect([photo.width, photo.height, photo.mime]).toEqual([64, 48, 'image/jpeg']);
  });

  it('leaves time and place empty when the photo does not say, or says 0/0', async () => {
    const plain = await upload(await samplePhoto({ colour: '#123456' }));
    expect([plain.takenAt, plain.lon, plain.lat]).toEqual([null, null, null]);
    const noFix = await upload(await samplePhoto({ colour: '#654321', lon: 0, lat: 0 }));
    expect([noFix.lon, noFix.lat]).toEqual([null, null]);
  });

  it('serves a small upright JPEG thumbnail beside the original', async () => {
    const big = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#a33' } })
      .jpeg()
      .toBuffer();
    const wide = await upload(big);
    const thumbnail = await ctx.services.evidence.readEvidence(systemActor(), wide.id, {
      variant: 'thumbnail',
    });
    expect(thumbnail.mime).toBe('image/jpeg');
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ width: 320, height: 160 });
    expect(thumbnail.bytes.length).toBeLessThan(big.length);
    const original = await ctx.services.evidence.readEvidence(systemActor(), wide.id);
    expect(original.bytes.equals(big)).toBe(true);

    // A phone held upright writes landscape pixels and "rotate 90°" in EXIF: the user sees portrait.
    const turned = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a3' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const portrait = await upload(turned);
    expect([portrait.width, portrait.height]).toEqual([48, 64]);
    const small = await ctx.services.evidence.readEvidence(systemActor(), portrait.id, {
      variant: 'thumbnail',
    });
    expect(await sharp(small.bytes).metadata()).toMatchObject({ width: 48, height: 64 });
  });

  it('refuses a file that only starts like a JPEG, and stores nothing of it', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('现场照片')]);
    const error = await upload(fake).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/damaged|损坏/);
    const { sha256Of } = await import('./evidence-store.ts');
    expect(await ctx.services.evidence.describeEvidence([sha256Of(fake)])).toEqual([]);
  });

  it('reads an EXIF time with its own offset when the camera wrote one', () => {
    expect(exifTime('2026:01:02 03:04:05', '+09:00')?.toISOString()).toBe('2026-01-01T18:04:05.000Z');
    expect(exifTime('2026:01:02 03:04:05', undefined)?.toISOString()).toBe('2026-01-01T19:04:05.000Z');
    expect(exifTime('0000:00:00 00:00:00', undefined)).toBeNull();
    expect(exifTime(undefined, undefined)).toBeNull();
  });
});
