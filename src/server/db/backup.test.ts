import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorMessage } from '../../shared/errors.ts';
import { fixedClock } from '../clock.ts';
import { createServices } from '../deps.ts';
import { AppError } from '../errors.ts';
import { sealAuditChain, verifyAuditChain } from '../modules/audit/audit.service.ts';
import { sha256Of } from '../modules/cases/evidence-store.ts';
import { systemActor } from '../modules/people/actor.ts';
import {
  createUser,
  samplePhoto,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../testing/factories.ts';
import { type TestContext, testConfig } from '../testing/test-database.ts';
import { readDatabaseFacts } from './backup.repository.ts';
import { type BackupManifest, restoreBackup, takeBackup, takeNightlyBackup } from './backup.ts';
import { createDatabase, type DatabaseHandle } from './database.ts';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const scratch = mkdtempSync(join(tmpdir(), 'gridgov-backup-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A small town's worth of data: territory, departments, categories, people, a photo and some reports. */
async function seedSmallTown(
  ctx: TestContext,
): Promise<{ worker: TestUser; photo: string; report: () => Promise<number> }> {
  await seedTerritory(ctx);
  await seedCaseReference(ctx);
  const worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
  await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
  const tree = await ctx.services.categories.getCategoryTree();
  const categoryId = tree.flatMap((m) => m.children).find((c) => c.code === '06010')?.id ?? 0;
  const photo = (
    await ctx.services.evidence.uploadEvidence(worker.actor, await samplePhoto({ colour: '#b85' }))
  ).id;
  const report = async () =>
    (
      await ctx.services.cases.reportCase(worker.actor, {
        categoryId,
        description: '河清路口有一堆暴露垃圾',
        lon: 112.945,
        lat: 22.85,
        evidence: [photo],
      })
    ).id;
  for (let i = 0; i < 5; i++) await report();
  await sealAuditChain(ctx.database.db);
  return { worker, photo, report };
}

/**
 * Takes a backup while a grid worker keeps filing reports, one after another, as the server would receive
 * them. Returns the reports acknowledged before the backup began, and all acknowledged by the end.
 */
async function backupWhileReporting(ctx: TestContext, report: () => Promise<number>, file: string) {
  const acknowledged: number[] = [];
  let writing = true;
  const reporter = (async () => {
    while (writing) acknowledged.push(await report());
  })();
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  await until(() => acknowledged.length >= 3);
  const before = [...acknowledged];
  const manifest = await takeBackup({ database: ctx.database, config: ctx.config }, file);
  // Two reports acknowledged after the backup returned were at least partly sent after its snapshot.
  await until(() => acknowledged.length >= before.length + 3);
  writing = false;
  await reporter;
  return { before, acknowledged, manifest };
}

/** Opens a restored database and reads what a person would check: counts, head, an intact chain, a case. */
async function inspectRestored(database: DatabaseHandle, dataDir: string) {
  const facts = await readDatabaseFacts(database.db);
  const verification = await verifyAuditChain(database.db);
  // The restored log keeps growing from its head: entries appended after the restore seal onto it.
  await sealAuditChain(database.db);
  const services = createServices({
    db: database.db,
    backend: database.backend,
    clock: fixedClock(new Date('2026-11-23T03:00:00Z')),
    config: testConfig({ dataDir }),
  });
  return { facts, verification, services };
}

// Each test copies and reopens whole databases on disk: seconds each, more on a busy machine.
describe.runIf(!TEST_DATABASE_URL)(
  'backup and restore of the embedded database',
  { timeout: 180_000 },
  () => {
    let ctx: TestContext;
    let town: Awaited<ReturnType<typeof seedSmallTown>>;
    const dataDir = join(scratch, 'data');

    beforeAll(async () => {
      // On disk, as a town runs it: the evidence store lives inside the data directory PGlite dumps.
      const database = await createDatabase({
        dataDir,
        loadDataDir: new Blob([readFileSync(inject('pgliteDumpPath'))]),
      });
      const config = testConfig({ dataDir });
      const clock = fixedClock(new Date('2026-11-23T02:00:00Z'));
      const services = createServices({ db: database.db, backend: database.backend, clock, config });
      await services.calendar.ensureSeeded();
      ctx = { database, services, clock, config, databaseUrl: null, close: () => database.close() };
      town = await seedSmallTown(ctx);
    });
    afterAll(() => ctx.close());

    it('restores into a fresh data dir every row, the audit chain and the photos', async () => {
      const before = await readDatabaseFacts(ctx.database.db);
      const file = join(scratch, 'town.tar');
      const manifest = await takeBackup(
        { database: ctx.database, config: ctx.config, clock: ctx.clock },
        file,
      );
      expect(manifest.tables).toEqual(before.tables);
      expect(manifest.tables.cases).toBe(5);
      expect(manifest.auditHead).toEqual(before.auditHead);
      expect(manifest.evidence.inDatabaseDump).toBe(true);
      expect(manifest.schemaVersion).toMatch(/^\d{4}_/);
      // Any tar lists and unpacks it: an operator can look inside without gridgov.
      expect(execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n')).toEqual([
        'database.pglite.tar.gz',
        'manifest.json',
      ]);

      const target = join(scratch, 'restored');
      const report = await restoreBackup(file, { dataDir: target });
      expect(report.tables).toEqual(before.tables);
      expect(report.auditHead).toEqual(before.auditHead);
      expect(report.audit).toMatchObject({ ok: true, entries: before.auditHead?.seq });

      // The restored directory opens as a server would open it, with the photo the cases point at.
      expect(existsSync(join(target, 'gridgov.lock'))).toBe(false);
      const restored = await createDatabase({ dataDir: target });
      try {
        const { facts, verification, services } = await inspectRestored(restored, target);
        expect(facts.tables).toEqual(before.tables);
        expect(verification.ok).toBe(true);
        expect(sha256Of(readFileSync(join(target, 'evidence', town.photo.slice(0, 2), town.photo)))).toBe(
          town.photo,
        );
        const first = await restored.db
          .selectFrom('cases')
          .select('id')
          .orderBy('id')
          .executeTakeFirstOrThrow();
        expect((await services.cases.getCase(systemActor(), first.id)).photos).toHaveLength(1);
      } finally {
        await restored.close();
      }
    });

    it('keeps every report acknowledged before a backup taken while reports keep coming', async () => {
      const file = join(scratch, 'busy.tar');
      const { before, acknowledged, manifest } = await backupWhileReporting(ctx, town.report, file);

      const target = join(scratch, 'restored-busy');
      const report = await restoreBackup(file, { dataDir: target });
      expect(report.tables).toEqual(manifest.tables);
      expect(report.audit.ok).toBe(true);
      const restored = await createDatabase({ dataDir: target });
      try {
        const ids = (await restored.db.selectFrom('cases').select('id').execute()).map((row) => row.id);
        expect(ids).toEqual(expect.arrayContaining(before));
        // Reports acknowledged after the copy are not in it: the source kept serving while it was taken.
        expect(ids.length).toBeLessThan(5 + acknowledged.length);
        expect((await inspectRestored(restored, target)).verification.ok).toBe(true);
      } finally {
        await restored.close();
      }
    });

    it('restores a backup packed again by another tar as plain ustar, the format gridgov wrote before', async () => {
      const unpacked = join(scratch, 'unpacked');
      mkdirSync(unpacked);
      execFileSync('tar', ['-xf', join(scratch, 'town.tar'), '-C', unpacked]);
      const repacked = join(scratch, 'repacked.tar');
      execFileSync('tar', [
        '--format=ustar',
        '-cf',
        repacked,
        '-C',
        unpacked,
        'database.pglite.tar.gz',
        'manifest.json',
      ]);
      const target = join(scratch, 'restored-repacked');
      const report = await restoreBackup(repacked, { dataDir: target });
      expect(report.tables).toEqual(report.manifest.tables);
      expect(report.tables.cases).toBeGreaterThan(0);
      expect(report.audit.ok).toBe(true);
    });

    it('refuses a data dir that holds anything, in both languages, and writes nothing', async () => {
      const file = join(scratch, 'town.tar');
      const target = join(scratch, 'occupied');
      mkdirSync(target);
      writeFileSync(join(target, 'notes.txt'), 'keep me');
      const error = await restoreBackup(file, { dataDir: target }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      const appError = error as AppError;
      expect(appError.code).toBe('BACKUP_TARGET_NOT_EMPTY');
      expect(errorMessage(appError.code, appError.params, 'zh-CN')).toContain(`${target} 已有数据`);
      expect(errorMessage(appError.code, appError.params, 'en-US')).toContain(`${target} already holds data`);
      expect(readdirSync(target)).toEqual(['notes.txt']);
    });

    it('refuses a backup cut short, or of the other backend, before touching the target', async () => {
      const cut = join(scratch, 'cut.tar');
      writeFileSync(cut, readFileSync(join(scratch, 'town.tar')));
      truncateSync(cut, 4096);
      const truncated = await restoreBackup(cut, { dataDir: join(scratch, 'never-1') }).catch(
        (e: unknown) => e,
      );
      expect((truncated as AppError).code).toBe('BACKUP_INVALID');
      const other = await restoreBackup(join(scratch, 'town.tar'), {
        databaseUrl: 'postgres://nobody@127.0.0.1:1/none',
        dataDir: join(scratch, 'never-2'),
      }).catch((e: unknown) => e);
      expect(errorMessage((other as AppError).code, (other as AppError).params, 'en-US')).toMatch(
        /backup of the embedded database/,
      );
      expect(existsSync(join(scratch, 'never-1'))).toBe(false);
    });

    it('keeps the newest nightly backups and deletes the older ones', async () => {
      const dir = join(scratch, 'nightly');
      const clock = fixedClock(new Date('2026-11-20T18:00:00Z'));
      const names: string[] = [];
      for (let night = 0; night < 2; night++) {
        const { path, removed } = await takeNightlyBackup(
          { database: ctx.database, config: ctx.config, clock },
          { dir, keep: 1 },
        );
        names.push(path.slice(dir.length + 1));
        if (night === 1) expect(removed).toEqual([names[0]]);
        clock.advance(24 * 3_600_000);
      }
      expect(names[0]).toBe('gridgov-backup-20261120T180000Z.tar');
      expect(readdirSync(dir).sort()).toEqual(names.slice(1));
      // Kept inside the data directory, each backup would be dumped into the next one.
      const inside = await takeNightlyBackup(
        { database: ctx.database, config: ctx.config, clock },
        { dir: join(dataDir, 'backups'), keep: 1 },
      ).catch((e: unknown) => e);
      expect((inside as AppError).code).toBe('BACKUP_FAILED');
      expect(existsSync(join(dataDir, 'backups'))).toBe(false);
    });
  },
);

describe.runIf(TEST_DATABASE_URL)('backup and restore of a PostgreSQL database', { timeout: 180_000 }, () => {
  const created: string[] = [];
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const newDatabase = async (template?: string) => {
    const name = `gridgov_backup_${randomBytes(6).toString('hex')}`;
    await admin(`create database ${name}${template ? ` template ${template}` : ''}`);
    created.push(name);
    const url = new URL(TEST_DATABASE_URL ?? '');
    url.pathname = `/${name}`;
    return url.toString();
  };
  let ctx: TestContext;
  let sourceUrl: string;
  let town: Awaited<ReturnType<typeof seedSmallTown>>;

  beforeAll(async () => {
    sourceUrl = await newDatabase(inject('postgresTemplate'));
    const config = testConfig({ databaseUrl: sourceUrl });
    const database = await createDatabase({ databaseUrl: sourceUrl, dataDir: '', poolSize: 5 });
    const clock = fixedClock(new Date('2026-11-23T02:00:00Z'));
    const services = createServices({ db: database.db, backend: database.backend, clock, config });
    await services.calendar.ensureSeeded();
    ctx = { database, services, clock, config, databaseUrl: sourceUrl, close: () => database.close() };
    town = await seedSmallTown(ctx);
  });
  afterAll(async () => {
    await ctx?.close();
    for (const name of created) await admin(`drop database if exists ${name} with (force)`);
  });

  it('restores with pg_dump and pg_restore into an empty database, with the photos', async () => {
    const before = await readDatabaseFacts(ctx.database.db);
    const file = join(scratch, 'server.tar');
    const manifest: BackupManifest = await takeBackup({ database: ctx.database, config: ctx.config }, file);
    expect(manifest.backend).toBe('postgres');
    expect(manifest.tables).toEqual(before.tables);
    expect(manifest.evidence).toMatchObject({ files: 2, inDatabaseDump: false });

    const targetUrl = await newDatabase();
    const targetDir = join(scratch, 'server-restored');
    const report = await restoreBackup(file, { databaseUrl: targetUrl, dataDir: targetDir });
    expect(report.tables).toEqual(before.tables);
    expect(report.auditHead).toEqual(before.auditHead);
    expect(report.audit.ok).toBe(true);
    expect(report.evidenceFiles).toBe(2);

    const restored = await createDatabase({ databaseUrl: targetUrl, dataDir: targetDir, poolSize: 2 });
    try {
      const { verification } = await inspectRestored(restored, targetDir);
      expect(verification.ok).toBe(true);
      const photo = join(targetDir, 'evidence', town.photo.slice(0, 2), town.photo);
      expect(sha256Of(readFileSync(photo))).toBe(town.photo);
    } finally {
      await restored.close();
    }

    // The database just restored is no longer empty: a second restore into it is refused.
    const again = await restoreBackup(file, { databaseUrl: targetUrl, dataDir: targetDir }).catch(
      (e: unknown) => e,
    );
    expect((again as AppError).code).toBe('BACKUP_TARGET_NOT_EMPTY');
    expect(errorMessage((again as AppError).code, (again as AppError).params, 'en-US')).toContain(
      'already holds data',
    );
  });
  it('copies one instant of a database that keeps taking reports', async () => {
    const total = async () => (await readDatabaseFacts(ctx.database.db)).tables.cases ?? 0;
    const casesBefore = await total();
    const file = join(scratch, 'server-busy.tar');
    const { before, acknowledged, manifest } = await backupWhileReporting(ctx, town.report, file);
    const targetUrl = await newDatabase();
    const report = await restoreBackup(file, {
      databaseUrl: targetUrl,
      dataDir: join(scratch, 'server-busy'),
    });
    expect(report.tables).toEqual(manifest.tables);
    expect(report.audit.ok).toBe(true);
    const restored = await createDatabase({ databaseUrl: targetUrl, dataDir: '', poolSize: 2 });
    try {
      const ids = (await restored.db.selectFrom('cases').select('id').execute()).map((row) => row.id);
      expect(ids).toEqual(expect.arrayContaining(before));
      expect(ids.length).toBeLessThan(casesBefore + acknowledged.length);
    } finally {
      await restored.close();
    }
  });
});
