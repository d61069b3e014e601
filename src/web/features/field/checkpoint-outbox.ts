import type { EntryBatchResult, EntryInput } from '../../../shared/checkpoints.ts';
import { ApiError, api } from '../../api/client.ts';

/**
 * Checkpoint entries (卡点登记) in the field view's outbox. A queue at a checkpoint makes hundreds of entries an
 * hour, often without signal, so they are sent in batches (one request per 200) rather than one by one, and an
 * entry the server has stored leaves the phone at once instead of being kept on the outbox list for days.
 */

/** Entries per upload: well under the server's 500, so one slow request does not hold too many. */
export const CHECKPOINT_BATCH = 200;

export interface CheckpointItemFields {
  kind: 'checkpoint';
  checkpointId: number;
  /** What the list shows: the checkpoint's name and the plate or masked ID number. */
  label: string;
  /** The entry as the server takes it, without the client key (the item's id). */
  entry: Omit<EntryInput, 'clientKey'>;
}

export const checkpointRequests = {
  logCheckpointEntries: (checkpointId: number, entries: EntryInput[]) =>
    api<EntryBatchResult>(`/checkpoints/${checkpointId}/entries`, {
      method: 'POST',
      body: { entries },
      redirectOn401: false,
    }),
};

/** A refusal of one entry within a batch, as the outbox records a refused item: its fields and messages. */
export function entryRefusal(result: EntryBatchResult['results'][number]): ApiError {
  return new ApiError({
    status: 400,
    code: 'VALIDATION_FAILED',
    message: result.issues.map((issue) => issue.message).join('；'),
    // The batch's paths (entries.0.idNumber) name the field of this one entry.
    details: { issues: result.issues.map((i) => ({ ...i, path: i.path.replace(/^entries\.\d+\./, '') })) },
  });
}
