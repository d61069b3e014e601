import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openRows } from './registry-file.ts';

describe('registry files as streams', () => {
  it('ends an upload its reader stopped early, and a connection cut later raises nothing unheard', async () => {
    // An upload still arriving: random bytes read as a CSV, refused after its first rows.
    const upload = new PassThrough();
    for (let i = 0; i < 8; i++) upload.write(randomBytes(64 * 1024));
    const { format, rows } = await openRows(upload);
    expect(format).toBe('csv');
    expect((await rows.next()).done).toBe(false);
    await rows.return(undefined);
    expect(upload.destroyed).toBe(true);
    // The client's connection goes afterwards: an 'error' nobody hears would stop the process (and fail here).
    upload.destroy(new Error('connection reset'));
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('refuses an empty file and an old .xls by their first bytes', async () => {
    const empty = new PassThrough();
    empty.end();
    await expect(openRows(empty)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const xls = new PassThrough();
    xls.end(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    await expect(openRows(xls)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
