import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN311_READS_PER_MINUTE } from './modules/open311/open311.routes.ts';
import { freePort, type ServerProcess, startServer, stopServer } from './testing/processes.ts';
import { roundRobinProxy } from './testing/proxy.ts';

const url = process.env.TEST_DATABASE_URL;

/**
 * The deployment of docs/deployment.md, run for real: two gridgov processes on one PostgreSQL database behind
 * a proxy that alternates between them. What a district relies on must hold whichever process answers.
 * Needs the PostgreSQL server (`npm run test:pg`); skipped on the embedded database, which admits one process.
 */
describe.skipIf(!url)('two gridgov processes on one PostgreSQL database behind a proxy', () => {
  const name = `gridgov_multi_${randomBytes(4).toString('hex')}`;
  let admin: pg.Client;
  const servers: ServerProcess[] = [];
  let proxy: { url: string; server: Server };
  let databaseUrl = '';

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const target = new URL(url ?? '');
    target.pathname = `/${name}`;
    databaseUrl = target.toString();
    const env = (port: number) => ({
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      GRIDGOV_DEMO_REGISTRY: 'false',
      GRIDGOV_TRUST_PROXY: '127.0.0.1',
      GRIDGOV_DATA_DIR: `/tmp/${name}`,
    });
    // The first process migrates the empty database and loads the demo town; the second finds both done.
    servers.push(await startServer(env(await freePort())));
    servers.push(await startServer(env(await freePort())));
    proxy = await roundRobinProxy(servers.map((s) => s.url));
  }, 240_000);
  afterAll(async () => {
    proxy?.server.close();
    await Promise.all(servers.map((s) => stopServer(s)));
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  const login = (password: string) =>
    fetch(`${proxy.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dispatcher', password }),
    });

  it('keeps a session on both processes, and ends it on both at logout', async () => {
    const answer = await login('Gridgov@2026');
    expect(answer.status).toBe(200);
    const cookie = (answer.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await answer.json()) as { csrfToken: string };
    const session = () =>
      fetch(`${proxy.url}/api/v1/auth/session`, { headers: { cookie } }).then((r) => r.status);
    expect([await session(), await session(), await session(), await session()]).toEqual([
      200, 200, 200, 200,
    ]);
    const out = await fetch(`${proxy.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, origin: proxy.url },
    });
    expect(out.status).toBeLessThan(300);
    // Each process keeps a signed-in session in memory for at most 2 s; after that both read the logout.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect([await session(), await session()]).toEqual([401, 401]);
  });

  it('counts one rate limit across both processes', async () => {
    const read = () => fetch(`${proxy.url}/open311/v2/services.json`).then((r) => r.status);
    const statuses: number[] = [];
    for (let i = 0; i < OPEN311_READS_PER_MINUTE; i++) statuses.push(await read());
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // With a count per process, the proxy's alternation would let twice as many through.
    expect(await read()).toBe(429);
  });

  it('runs each once-per-interval job on one process only', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ name: string; runs: number }>(
      `select name, runs from jobs where name in ('overdue-sweep', 'webhook-pruning') order by name`,
    );
    await client.end();
    // Both processes ticked each job at start; the claim let one of them run it.
    expect(rows).toEqual([
      { name: 'overdue-sweep', runs: 1 },
      { name: 'webhook-pruning', runs: 1 },
    ]);
  });
});
