import { idNumberCheckChar } from '../../../shared/registry-validation.ts';

/**
 * 河清's checkpoint for the all-routes scope walk (src/server/security/route-scope.test.ts): a checkpoint, its
 * roster naming outside staff, and an entry with an ID number, a plate and a stop reason — each a marker string
 * that must never reach a user of another village.
 */
const first17 = '44060519800101123';
export const CHECKPOINT_MARKERS = {
  checkpointName: '河清秘密卡点',
  outsideStaff: '河清值守甄某',
  checkpointIdNumber: `${first17}${idNumberCheckChar(first17)}`,
  plate: '粤E9Q7K5',
  stopReason: '河清劝返秘因',
};

/** 河清 grid 1 lies at lon 112.94–112.95, lat 22.84–22.86 in the test territory. */
const POINT = { lon: 112.944, lat: 22.851 };

export async function seedCheckpointScope(
  post: (who: 'admin' | 'worker', url: string, body: object) => Promise<{ id: number; version: number }>,
  put: (url: string, body: object) => Promise<unknown>,
): Promise<Record<string, string>> {
  const checkpoint = await post('admin', '/api/v1/checkpoints', {
    name: CHECKPOINT_MARKERS.checkpointName,
    kind: 'road',
    ...POINT,
  });
  await put(`/api/v1/checkpoints/${checkpoint.id}/roster`, {
    version: checkpoint.version,
    duties: [{ weekday: 1, shift: 'early', userId: null, name: CHECKPOINT_MARKERS.outsideStaff }],
  });
  const logged = (await post('worker', `/api/v1/checkpoints/${checkpoint.id}/entries`, {
    entries: [
      {
        clientKey: 'heqing-checkpoint-entry-1',
        at: '2026-11-23T01:00:00Z',
        direction: 'in',
        subject: 'vehicle',
        plate: CHECKPOINT_MARKERS.plate,
        idNumber: CHECKPOINT_MARKERS.checkpointIdNumber,
        outcome: 'stopped',
        reason: CHECKPOINT_MARKERS.stopReason,
      },
    ],
  })) as unknown as { results: { id: number | null }[] };
  const entryId = logged.results[0]?.id;
  if (!entryId) throw new Error('the 河清 checkpoint entry was not stored');
  return { checkpoints: String(checkpoint.id), 'checkpoint-entries': String(entryId) };
}
