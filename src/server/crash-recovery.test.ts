import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIVISIONS_CSV, TERRITORY } from './testing/factories.ts';
import { freePort, runCli, type ServerProcess, startServer, stopServer } from './testing/processes.ts';

/**
 * kill -9 of the server while it writes, on the embedded database: the next start must clear the dead
 * server's lock by itself and hold every write the server acknowledged before it died. (How long the restart
 * takes is printed, not asserted: on a loaded machine a time limit would fail for reasons of its own.) PostgreSQL servers handle this themselves,
 * so the test runs on the embedded backend only.
 */
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('crash safety of the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridgov-crash-'));
  const env = { GRIDGOV_DATA_DIR: dataDir, GRIDGOV_DEMO: 'false', DATABASE_URL: '' };
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await stopServer(server, 'SIGKILL');
  });

  async function login(url: string) {
    const response = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'crashadmin', password: 'Crash-test-2026' }),
    });
    expect(response.status).toBe(200);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    return { cookie, csrfToken };
  }

  it('comes back after kill -9 by itself, with every acknowledged write', async () => {
    const csv = join(dataDir, '..', `divisions-${process.pid}.csv`);
    writeFileSync(csv, DIVISIONS_CSV);
    expect(runCli(['import-divisions', csv], env).status).toBe(0);
    const created = runCli(
      [
        'create-user',
        '--username',
        'crashadmin',
        '--name',
        '测试管理员',
        '--role',
        'administrator',
        '--region',
        TERRITORY.town,
        '--password',
        'Crash-test-2026',
      ],
      env,
    );
    expect(created.status, created.stderr).toBe(0);

    const port = await freePort();
    const first = await startServer({ ...env, PORT: String(port) });
    servers.push(first);
    const session = await login(first.url);

    // Four writers create departments as fast as the server acknowledges them, until the kill.
    const acknowledged: string[] = [];
    let killed = false;
    const writer = async (id: number) => {
      for (let n = 0; !killed; n++) {
        const code = `W${id}-${n}`;
        try {
          const response = await fetch(`${first.url}/api/v1/departments`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              cookie: session.cookie,
              'x-csrf-token': session.csrfToken,
            },
            body: JSON.stringify({ code, name: `压力测试部门${code}`, regionCode: TERRITORY.town }),
          });
          if (response.status === 200) acknowledged.push(code);
        } catch {
          return; // the connection died with the server
        }
      }
    };
    const writers = [1, 2, 3, 4].map(writer);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThan(10);

    const second = await startServer({ ...env, PORT: String(port) }, 60_000);
    servers.push(second);
    console.log(
      `kill -9 after ${acknowledged.length} acknowledged writes; restarted in ${second.startupMs} ms`,
    );
    expect(second.output()).toContain('stale lock was cleared');
    const again = await login(second.url);
    const stored = new Set<string>();
    for (let page = 1; ; page++) {
      const response = await fetch(`${second.url}/api/v1/departments?pageSize=200&page=${page}`, {
        headers: { cookie: again.cookie },
      });
      const body = (await response.json()) as { items: { code: string }[] };
      for (const item of body.items) stored.add(item.code);
      if (body.items.length < 200) break;
    }
    const missing = acknowledged.filter((code) => !stored.has(code));
    expect(missing).toEqual([]);
  }, 240_000);

  it('refuses to open a data directory that a live server holds', async () => {
    const port = await freePort();
    const live = servers.at(-1);
    expect(live?.child.exitCode).toBeNull();
    const error = await startServer({ ...env, PORT: String(port) }, 60_000).catch((e: Error) => e);
    expect(String(error)).toContain('is in use by another gridgov process');
  }, 120_000);
});
