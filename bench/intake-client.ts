/**
 * The 32 reporting phones of bench/cases.ts, in a worker thread: in the server's own event loop their
 * HTTP client work would be charged to the server's latency.
 */
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { runConcurrently } from './load.ts';

export interface IntakeJob {
  address: string;
  cookie: string;
  csrfToken: string;
  categoryId: number;
  clients: number;
  total: number;
  /** Report i is made at intakePoint(first + i), so each run reports at fresh points. */
  first: number;
}

/** Points spread over the bench grids (112.94–112.96 E, 22.84–22.86 N). */
export function intakePoint(i: number) {
  return {
    lon: 112.9401 + ((i * 7919) % 1990) / 100_000,
    lat: 22.8401 + ((i * 104_729) % 1990) / 100_000,
  };
}

if (parentPort && workerData) {
  const job = workerData as IntakeJob;
  const result = await runConcurrently(job.clients, job.total, async (i) => {
    const response = await fetch(`${job.address}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: job.cookie, 'x-csrf-token': job.csrfToken },
      body: JSON.stringify({
        clientKey: randomUUID(),
        categoryId: job.categoryId,
        description: `压测上报 ${job.first + i}`,
        ...intakePoint(job.first + i),
      }),
    });
    if (response.status !== 200)
      throw new Error(`report failed: ${response.status} ${await response.text()}`);
  });
  parentPort.postMessage(result);
}
