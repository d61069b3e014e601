import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.ts';

/** A writer that records its batches and refuses any batch holding a negative number. */
function recordingWriter() {
  const batches: number[][] = [];
  const write = async (items: number[]) => {
    batches.push(items);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (items.some((n) => n < 0)) throw new Error(`refused ${items.join(',')}`);
    return items.map((n) => n * 10);
  };
  return { batches, write };
}

describe('group commit', () => {
  it('writes what arrives together in one batch and answers each caller with its own result', async () => {
    const { batches, write } = recordingWriter();
    const submit = createGroupCommit({ maxBatch: 64, maxInFlight: 1, write });
    const results = await Promise.all([1, 2, 3, 4, 5].map(submit));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('keeps batches within their size and forms the next one while a write is in flight', async () => {
    const { batches, write } = recordingWriter();
    const submit = createGroupCommit({ maxBatch: 3, maxInFlight: 1, write });
    const first = submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = await Promise.all([2, 3, 4, 5, 6, 7].map(submit));
    expect([await first, ...rest]).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
  });

  it('fails only the bad item of a refused batch; the others are written one by one', async () => {
    const { batches, write } = recordingWriter();
    const submit = createGroupCommit({ maxBatch: 64, maxInFlight: 2, write });
    const results = await Promise.allSettled([1, -2, 3].map(submit));
    expect(results).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('refused -2') },
      { status: 'fulfilled', value: 30 },
    ]);
    expect(batches).toEqual([[1, -2, 3], [1], [-2], [3]]);
  });
});
