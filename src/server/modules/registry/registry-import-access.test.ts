import { Readable, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../../shared/registry-validation.ts';
import { AppError } from '../../errors.ts';
import {
  createUser,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import * as registry from './registry.repository.ts';
import { failInterruptedImports } from './registry-import.service.ts';

function idNumber(birth: string, sequence: number): string {
  const first17 = `440605${birth}${String(sequence).padStart(3, '0')}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

/** The same ID number with a wrong check character: a row the import rejects. */
function wrongCheck(id: string): string {
  return `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`;
}

async function thrown(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** The CSV error report as the reader downloads it: its rows of cells. */
async function downloadReport(ctx: TestContext, user: TestUser, id: number): Promise<string[][]> {
  const report = await ctx.services.registryImports.errorReport(user.actor, id, {
    format: 'csv',
    locale: 'zh-CN',
  });
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  await report.write(out);
  return parse(
    Buffer.concat(chunks)
      .toString('utf8')
      .replace(/^\uFEFF/, ''),
    { relax_column_count: true },
  );
}

describe('registry imports as personal data', () => {
  let ctx: TestContext;
  let importer: TestUser;
  let gridWorker: TestUser;
  let leader: TestUser;
  let handler: TestUser;
  let admin: TestUser;
  let importId: number;
  const badId = wrongCheck(idNumber('19800101', 11));
  const careId = wrongCheck(idNumber('19400101', 12));

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    const departments = await seedCaseReference(ctx);
    importer = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    gridWorker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    handler = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: Object.values(departments)[0] as number,
    });
    const csv = [
      '姓名,身份证号,联系电话,人口类型,关爱标签,街路巷,门牌号,经度,纬度',
      `陈志伟,${badId},13812345678,户籍,,河清大道,3,112.945,22.85`,
      `张英,${careId},13912345678,户籍,独居老人,河清大道,7,112.945,22.85`,
    ].join('\n');
    const result = await ctx.services.registryImports.importFile(importer.actor, 'resident', {
      stream: Readable.from([Buffer.from(csv, 'utf8')]),
      fileName: 'people.csv',
    });
    expect(result.rejected).toBe(2);
    importId = result.id;
    const setup = await ctx.services.registryImports.importFile(importer.actor, 'resident', {
      stream: Readable.from([
        Buffer.from(
          `姓名,身份证号,人口类型,街路巷,门牌号,经度,纬度\n李丽,${idNumber('19820304', 22)},户籍,河清大道,3,112.945,22.85`,
          'utf8',
        ),
      ]),
      fileName: 'one.csv',
    });
    expect(setup.created).toBe(1);
  }, 60_000);
  afterAll(() => ctx.close());

  it('leaves the tables it filled analysed, so searches are planned on what they hold', async () => {
    const { rows } = await sql<{ relname: string }>`
      select relname from pg_class where relname in ('registry_residents', 'registry_addresses', 'registry_houses')
        and reltuples < 0`.execute(ctx.database.db);
    expect(rows).toEqual([]);
  });

  it('keeps a resident import and its rejected rows from a department handler, who may not read residents', async () => {
    const imports = ctx.services.registryImports;
    expect((await thrown(imports.getImport(handler.actor, importId))).code).toBe('FORBIDDEN_ROLE');
    expect(
      (await thrown(imports.errorReport(handler.actor, importId, { format: 'csv', locale: 'zh-CN' }))).code,
    ).toBe('FORBIDDEN_ROLE');
    const listed = await imports.listImports(handler.actor, { page: 1, pageSize: 50 });
    expect(listed.map((i) => i.id)).not.toContain(importId);
    expect(
      (await thrown(imports.listImports(handler.actor, { entity: 'resident', page: 1, pageSize: 50 }))).code,
    ).toBe('FORBIDDEN_ROLE');
  });

  it('shows a grid worker the rejected rows as the registry does: ID numbers masked, phones and care tags theirs', async () => {
    const rows = await downloadReport(ctx, gridWorker, importId);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(badId);
    expect(text).not.toContain(careId);
    const [, first, second] = rows;
    expect(first?.[3]).toBe(`${badId.slice(0, 6)}********${badId.slice(-4)}`);
    expect(first?.[4]).toBe('13812345678');
    expect(second?.[6]).toBe('独居老人');
  });

  it('masks phones for a leader and leaves out care tags, which leaders do not see', async () => {
    const rows = await downloadReport(ctx, leader, importId);
    const [, first, second] = rows;
    expect(first?.[4]).toBe('138****5678');
    expect(second?.[6]).toBe('');
    expect(JSON.stringify(rows)).not.toContain('独居老人');
  });

  it('puts each download of an error report in the personal data log', async () => {
    await downloadReport(ctx, gridWorker, importId);
    const log = await ctx.services.registry.personalDataLog(admin.actor, {
      action: 'registry.export',
      page: 1,
      pageSize: 50,
    });
    const downloads = log.filter((entry) => entry.actorId === gridWorker.id && entry.entity === 'resident');
    expect(downloads.length).toBeGreaterThanOrEqual(1);
    expect(downloads[0]).toMatchObject({ fields: ['phone'], count: 2 });
  });

  it('marks an import a stopped process left running as failed, saying so, at the next start', async () => {
    const started = new Date('2026-11-23T01:00:00Z');
    const id = await registry.insertImport(ctx.database.db, {
      entity: 'resident',
      file_name: 'cut-short.csv',
      actor_id: importer.id,
      actor_name: importer.username,
      scope_code: TERRITORY.heqing,
      started_at: started,
    });
    expect((await ctx.services.registryImports.getImport(importer.actor, id)).status).toBe('running');
    const now = new Date('2026-11-23T02:00:00Z');
    expect(await failInterruptedImports(ctx.database.db, now)).toBe(1);
    const failed = await ctx.services.registryImports.getImport(importer.actor, id);
    expect(failed).toMatchObject({ status: 'failed', finishedAt: now.toISOString() });
    expect(failed.failure).toContain('中断');
    expect(await failInterruptedImports(ctx.database.db, now)).toBe(0);
  });

  it('shows nothing to a user whose scope is empty, rather than everything', async () => {
    const unscoped = { ...admin.actor, scopeCode: '' };
    const imports = ctx.services.registryImports;
    expect(await imports.listImports(unscoped, { page: 1, pageSize: 50 })).toEqual([]);
    expect((await thrown(imports.getImport(unscoped, importId))).code).toBe('NOT_FOUND');
    const residents = await ctx.services.registry.listRecords(unscoped, 'resident', {
      page: 1,
      pageSize: 20,
    } as never);
    expect(residents.total).toBe(0);
    const search = await ctx.services.registry.search(unscoped, {
      q: '河清',
      page: 1,
      pageSize: 20,
    } as never);
    expect(search.items).toEqual([]);
  });
});
