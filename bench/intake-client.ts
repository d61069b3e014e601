/**
 * The 32 reporting phones of bench/cases.ts, in a worker thread: in the server's own event loop their
 * HTTP client work would be charged to the server's latency.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
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

/**
 * One report over a kept-alive connection. node:http rather than fetch: fetch's streams and abort signals
 * cost the client more CPU per request than the server spends on the report, and this machine's cores are
 * shared with the server under test.
 */
function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          response.statusCode === 200
            ? resolve(text)
            : reject(new Error(`report failed: ${response.statusCode} ${text}`)),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

if (parentPort && workerData) {
  const job = workerData as IntakeJob;
  const agent = new Agent({ keepAlive: true, maxSockets: job.clients });
  const url = new URL('/api/v1/cases', job.address);
  const headers = { 'content-type': 'application/json', cookie: job.cookie, 'x-csrf-token': job.csrfToken };
  const result = await runConcurrently(job.clients, job.total, async (i) => {
    await post(
      agent,
      url,
      headers,
      JSON.stringify({
        clientKey: randomUUID(),
        categoryId: job.categoryId,
        description: `压测上报 ${job.first + i}`,
        ...intakePoint(job.first + i),
      }),
    );
  });
  agent.destroy();
  parentPort.postMessage(result);
}
