import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { extract as extractTar, type Pack, pack as packTar } from 'tar-stream';
import { type Clock, systemClock } from '../clock.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { type AuditVerification, sealAuditChain, verifyAuditChain } from '../modules/audit/audit.service.ts';
import {
  allowLongStatements,
  checkpoint,
  countUserRelations,
  type DatabaseFacts,
  exportSnapshot,
  readDatabaseFacts,
} from './backup.repository.ts';
import { type Backend, createDatabase, type DatabaseHandle, redactUrl } from './database.ts';
import { requireToolVersion, runPgTool } from './pg-tools.ts';

/**
 * A gridgov backup is one uncompressed ustar file (its parts are compressed already), which any `tar` can list
 * and unpack:
 *   database.pglite.tar.gz  the embedded database: PGlite's own dump of the data directory, which holds the
 *                           evidence files too (they live in <data dir>/evidence)
 *   database.pgdump         or the PostgreSQL server's database, in pg_dump's custom format
 *   evidence/ab/<sha256>    the evidence files, when the database dump does not hold them (PostgreSQL)
 *   manifest.json           written last: what was copied, for the restore to check against
 * See docs/CLI.md "Backup and restore".
 */
const MANIFEST_ENTRY = 'manifest.json';
const DATABASE_ENTRY: Record<Backend, string> = {
  pglite: 'database.pglite.tar.gz',
  postgres: 'database.pgdump',
};
/** The parts whose SHA-256 the manifest holds, checked as a backup is first read through. */
const HASHED_ENTRIES = new Set(Object.values(DATABASE_ENTRY));
const EVIDENCE_ENTRY = /^evidence\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
const BACKUP_FILE = /^gridgov-backup-\d{8}T\d{6}Z\.tar$/;
// zlib's asynchronous gzip runs on libuv's thread pool: the server keeps answering while a dump compresses.
const gzipAsync = promisify(gzip);

export interface BackupManifest {
  format: 'gridgov-backup';
  formatVersion: 1;
  gridgovVersion: string;
  createdAt: string;
  backend: Backend;
  /** The database server's version (PGlite reports the PostgreSQL it embeds). */
  serverVersion: string;
  /** The major version of the pg_dump that wrote the dump: pg_restore must be at least as new. */
  pgDumpMajor: number | null;
  schemaVersion: string | null;
  tables: Record<string, number>;
  auditHead: { seq: number; hash: string } | null;
  /** Audit entries in the copy not yet linked into the chain: the restored server seals them. */
  auditUnsealed: number;
  database: { entry: string; bytes: number; sha256: string };
  evidence: { files: number; bytes: number; inDatabaseDump: boolean };
}

export interface BackupSource {
  database: Pick<DatabaseHandle, 'db' | 'backend' | 'pglite'>;
  config: Pick<Config, 'databaseUrl' | 'dataDir'>;
  clock?: Clock;
  /** Where pg_dump lives when it is not on PATH (GRIDGOV_PG_BIN_DIR). */
  pgBinDir?: string | undefined;
}

/** Where the file evidence store keeps photos (src/server/deps.ts). */
export function evidenceDirOf(dataDir: string): string {
  return join(dataDir, 'evidence');
}

/** `gridgov-backup-20261205T020000Z.tar`: names sort by time, which is how retention finds the oldest. */
export function backupFileName(at: Date): string {
  return `gridgov-backup-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.tar`;
}

/**
 * Writes one consistent snapshot of the database and its evidence files to `outputPath`, while the server
 * keeps serving. The embedded database admits one process, so the server itself calls this with its own
 * handle; the CLI calls it with a handle of its own when the server is stopped. The file appears under its
 * name only when complete: a crash leaves at most `<outputPath>.partial`.
 */
export async function takeBackup(source: BackupSource, outputPath: string): Promise<BackupManifest> {
  const createdAt = (source.clock ?? systemClock).now();
  if (existsSync(outputPath)) {
    throw new AppError('BACKUP_FAILED', {
      reason: {
        zh: `${outputPath} 已存在，不会覆盖`,
        en: `${outputPath} exists already and is not overwritten`,
      },
    });
  }
  const dataDir = source.database.pglite?.dataDir;
  if (dataDir && !dataDir.includes('://') && isInside(resolve(dataDir), resolve(outputPath))) {
    // PGlite dumps its whole directory: a backup kept there would be copied into every later one.
    throw new AppError('BACKUP_FAILED', {
      reason: {
        zh: `备份文件不能放在数据目录 ${dataDir} 之内，请换一个位置`,
        en: `a backup may not be written inside the data directory ${dataDir}; choose another place`,
      },
    });
  }
  await mkdir(dirname(resolve(outputPath)), { recursive: true });
  // The server seals every second; sealing here too makes the manifest's head cover what was appended up to
  // now, also when the CLI copies a database whose server has stopped.
  await sealAuditChain(source.database.db);
  const partial = `${outputPath}.partial`;
  await rm(partial, { force: true });
  const archive = packTar();
  // Written as it is packed; flushed to disk before the file takes its name.
  const written = pipeline(archive, createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true }));
  written.catch(() => undefined);
  try {
    const copy =
      source.database.backend === 'pglite'
        ? await copyPglite(source, archive)
        : await copyPostgres(source, archive, `${outputPath}.pgdump.partial`);
    const evidence = copy.evidenceInDump
      ? { files: 0, bytes: 0 }
      : await copyEvidence(evidenceDirOf(source.config.dataDir), archive);
    const manifest: BackupManifest = {
      format: 'gridgov-backup',
      formatVersion: 1,
      gridgovVersion: gridgovVersion(),
      createdAt: createdAt.toISOString(),
      backend: source.database.backend,
      serverVersion: copy.facts.serverVersion,
      pgDumpMajor: copy.pgDumpMajor,
      schemaVersion: copy.facts.schemaVersion,
      tables: copy.facts.tables,
      auditHead: copy.facts.auditHead,
      auditUnsealed: copy.facts.auditUnsealed,
      database: copy.database,
      evidence: { ...evidence, inDatabaseDump: copy.evidenceInDump },
    };
    await addEntry(archive, MANIFEST_ENTRY, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    archive.finalize();
    await written;
    await rename(partial, outputPath);
    return manifest;
  } catch (error) {
    archive.destroy(error as Error);
    await written.catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}

interface DatabaseCopy {
  facts: DatabaseFacts;
  database: BackupManifest['database'];
  evidenceInDump: boolean;
  pgDumpMajor: number | null;
}

async function copyPglite(source: BackupSource, archive: Pack): Promise<DatabaseCopy> {
  const { pglite, db } = source.database;
  if (!pglite) throw new Error('The embedded database handle carries no PGlite instance to dump.');
  let facts: DatabaseFacts | undefined;
  let dump: Blob | undefined;
  // The pool hands its only connection to one holder at a time: while this holds it no transaction is open
  // and none can start, so the counts, the checkpoint and the copied files describe one instant. Requests
  // wait for the copy rather than fail; compressing comes after, off the connection and off the event loop.
  await db.connection().execute(async (connection) => {
    facts = await readDatabaseFacts(connection);
    await checkpoint(connection);
    dump = await pglite.dumpDataDir('none');
  });
  if (!facts || !dump) throw new Error('The embedded database was not copied.');
  const tar = await dump.arrayBuffer();
  // The dump is as large as the data directory: let it go before compressing a copy of it.
  dump = undefined;
  const bytes = await gzipAsync(tar);
  await addEntry(archive, DATABASE_ENTRY.pglite, bytes);
  // PGlite dumps the whole data directory; the evidence store lives inside it unless the database is in memory.
  const dataDir = pglite.dataDir && !pglite.dataDir.includes('://') ? resolve(pglite.dataDir) : null;
  return {
    facts,
    database: { entry: DATABASE_ENTRY.pglite, bytes: bytes.length, sha256: sha256(bytes) },
    evidenceInDump: dataDir !== null && isInside(dataDir, evidenceDirOf(resolve(source.config.dataDir))),
    pgDumpMajor: null,
  };
}

async function copyPostgres(source: BackupSource, archive: Pack, dumpPath: string): Promise<DatabaseCopy> {
  const databaseUrl = source.config.databaseUrl;
  if (!databaseUrl) throw new Error('A PostgreSQL backup needs DATABASE_URL.');
  let facts: DatabaseFacts | undefined;
  let pgDumpMajor = 0;
  await rm(dumpPath, { force: true });
  try {
    // pg_dump reads the snapshot this transaction exported, so its copy and these counts are one instant
    // however many reports arrive meanwhile.
    await source.database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const snapshot = await exportSnapshot(trx);
        await allowLongStatements(trx);
        facts = await readDatabaseFacts(trx);
        const serverMajor = Number.parseInt(facts.serverVersion, 10);
        pgDumpMajor = await requireToolVersion('pg_dump', serverMajor, source.pgBinDir);
        await runPgTool('pg_dump', {
          binDir: source.pgBinDir,
          databaseUrl,
          args: ['--format=custom', `--snapshot=${snapshot}`, `--file=${dumpPath}`],
        });
      });
    if (!facts) throw new Error('The database was not copied.');
    const { size } = await stat(dumpPath);
    const hash = createHash('sha256');
    await pipeline(
      hashing(createReadStream(dumpPath), hash),
      archive.entry({ name: DATABASE_ENTRY.postgres, size }),
    );
    return {
      facts,
      database: { entry: DATABASE_ENTRY.postgres, bytes: size, sha256: hash.digest('hex') },
      evidenceInDump: false,
      pgDumpMajor,
    };
  } finally {
    await rm(dumpPath, { force: true });
  }
}

/**
 * Copies the evidence store after the database: a file is written before the row that names it, so every
 * photo the copied database names is on disk by now. Photos added since are copied too, harmlessly.
 */
async function copyEvidence(dir: string, archive: Pack): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const prefix of (await readdirOrEmpty(dir)).sort()) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
    for (const name of (await readdirOrEmpty(join(dir, prefix))).sort()) {
      // Skips the store's `.tmp` files, which are writes still in progress.
      if (!/^[0-9a-f]{64}$/.test(name)) continue;
      const path = join(dir, prefix, name);
      const content = await readFile(path);
      await addEntry(archive, `evidence/${prefix}/${name}`, content, (await stat(path)).mtime);
      files++;
      bytes += content.length;
    }
  }
  return { files, bytes };
}

export interface RestoreTarget {
  /** An empty PostgreSQL database; unset restores an embedded backup into `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  pgBinDir?: string | undefined;
}

export interface RestoreReport {
  manifest: BackupManifest;
  /** Row counts of the restored database, equal to the manifest's. */
  tables: Record<string, number>;
  auditHead: BackupManifest['auditHead'];
  audit: AuditVerification;
  evidenceFiles: number;
}

/**
 * Brings a backup back into an empty data directory or an empty PostgreSQL database, with its evidence
 * files, then checks the result: every table's row count and the audit chain's head as the manifest says,
 * and the chain intact. A non-empty target is refused before anything is written.
 */
export async function restoreBackup(file: string, target: RestoreTarget): Promise<RestoreReport> {
  const { manifest, entries } = await readBackup(file);
  const targetBackend: Backend = target.databaseUrl ? 'postgres' : 'pglite';
  if (manifest.backend !== targetBackend) throw crossBackend(manifest.backend);
  const databaseEntry = entries.get(manifest.database.entry);
  if (!databaseEntry || databaseEntry.size !== manifest.database.bytes) {
    throw invalid({
      zh: '数据库部分缺失或长度不符',
      en: 'the database part is missing or of the wrong length',
    });
  }
  const database =
    targetBackend === 'pglite'
      ? await restorePglite(file, databaseEntry, target.dataDir)
      : await restorePostgres(file, databaseEntry, manifest, target);
  try {
    const evidenceFiles = await restoreEvidence(file, entries, evidenceDirOf(target.dataDir));
    const facts = await readDatabaseFacts(database.db);
    const differing = Object.keys({ ...manifest.tables, ...facts.tables }).filter(
      (table) => manifest.tables[table] !== facts.tables[table],
    );
    if (differing.length || facts.auditHead?.hash !== manifest.auditHead?.hash) {
      const what = differing.length
        ? differing.map((t) => `${t} ${facts.tables[t] ?? '-'}≠${manifest.tables[t] ?? '-'}`).join(', ')
        : `audit head ${facts.auditHead?.hash ?? '-'}≠${manifest.auditHead?.hash ?? '-'}`;
      throw new AppError('BACKUP_FAILED', {
        reason: {
          zh: `恢复结果与备份清单不符：${what}`,
          en: `the restored data differ from the manifest: ${what}`,
        },
      });
    }
    const audit = await verifyAuditChain(database.db);
    return { manifest, tables: facts.tables, auditHead: facts.auditHead, audit, evidenceFiles };
  } finally {
    await database.close();
  }
}

/** The manifest and the entries of a backup file, its database part checked against the manifest's hash. */
export async function readBackup(
  file: string,
): Promise<{ manifest: BackupManifest; entries: Map<string, BackupEntry> }> {
  const { entries, manifestText } = await scanBackup(file).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw invalid({ zh: `找不到文件 ${file}`, en: `${file} does not exist` });
    }
    throw invalid({
      zh: `不是 gridgov 备份，或已损坏（${(error as Error).message}）`,
      en: `not a gridgov backup, or damaged (${(error as Error).message})`,
    });
  });
  if (manifestText === null) {
    throw invalid({
      zh: '没有备份清单（manifest.json），备份可能未完成',
      en: 'it has no manifest.json: the backup did not finish',
    });
  }
  const manifest = JSON.parse(manifestText) as BackupManifest;
  if (manifest.format !== 'gridgov-backup' || manifest.formatVersion !== 1) {
    throw invalid({
      zh: '不是本版本 gridgov 可读的备份格式',
      en: 'its format is not one this gridgov reads',
    });
  }
  const databaseEntry = entries.get(manifest.database.entry);
  if (databaseEntry && databaseEntry.sha256 !== manifest.database.sha256) {
    throw invalid({
      zh: '数据库部分的校验和不符，文件已损坏',
      en: 'the database part fails its checksum: the file is damaged',
    });
  }
  return { manifest, entries };
}

/** A part of a backup file, and where its content lies in the file: a restore reads it from there. */
interface BackupEntry {
  name: string;
  size: number;
  offset: number;
  sha256?: string;
}

/**
 * Reads a backup file through once: its regular files with their positions, the manifest (written last), and
 * the SHA-256 of the database part, taken on the way.
 */
async function scanBackup(
  file: string,
): Promise<{ entries: Map<string, BackupEntry>; manifestText: string | null }> {
  const entries = new Map<string, BackupEntry>();
  let manifestText: string | null = null;
  const archive = extractTar();
  const scan = async () => {
    for await (const entry of archive) {
      const { name, size, type } = entry.header;
      const hash = HASHED_ENTRIES.has(name) ? createHash('sha256') : null;
      const chunks: Buffer[] | null = name === MANIFEST_ENTRY ? [] : null;
      // Every entry is read to its end, even one skipped: the archive is a stream.
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        hash?.update(chunk);
        chunks?.push(chunk);
      }
      if (type !== 'file') continue;
      if (chunks) manifestText = Buffer.concat(chunks).toString('utf8');
      // `offset` is the entry's header; its content follows in the next 512-byte block.
      const entryOf = { name, size, offset: entry.offset + 512 };
      entries.set(name, hash ? { ...entryOf, sha256: hash.digest('hex') } : entryOf);
    }
  };
  await Promise.all([pipeline(createReadStream(file), archive), scan()]);
  return { entries, manifestText };
}

async function restorePglite(file: string, entry: BackupEntry, dataDir: string): Promise<DatabaseHandle> {
  const present = (await readdirOrEmpty(dataDir)).length;
  if (present) throw new AppError('BACKUP_TARGET_NOT_EMPTY', { target: dataDir });
  const dump = new Uint8Array(entry.size);
  const handle = await open(file, 'r');
  try {
    // One read call may return less than asked for; read until the whole entry is in.
    for (let done = 0; done < entry.size; ) {
      const { bytesRead } = await handle.read(dump, done, entry.size - done, entry.offset + done);
      if (bytesRead === 0) throw invalid({ zh: '文件被截断', en: 'the file is truncated' });
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
  // PGlite unpacks its dump into the empty directory, then opens it as it would after a clean shutdown.
  return createDatabase({ dataDir, loadDataDir: new Blob([dump], { type: 'application/gzip' }) });
}

async function restorePostgres(
  file: string,
  entry: BackupEntry,
  manifest: BackupManifest,
  target: RestoreTarget,
): Promise<DatabaseHandle> {
  const databaseUrl = target.databaseUrl ?? '';
  // Counting a district's rows after the restore takes longer than the request timeout.
  const database = await createDatabase({
    databaseUrl,
    dataDir: target.dataDir,
    poolSize: 2,
    statementTimeoutMs: 0,
  });
  try {
    if ((await countUserRelations(database.db)) > 0) {
      throw new AppError('BACKUP_TARGET_NOT_EMPTY', { target: redactUrl(databaseUrl) });
    }
    await requireToolVersion('pg_restore', manifest.pgDumpMajor ?? 0, target.pgBinDir);
    const scratch = await mkdtemp(join(tmpdir(), 'gridgov-restore-'));
    try {
      const dumpPath = join(scratch, DATABASE_ENTRY.postgres);
      await pipeline(readEntry(file, entry), createWriteStream(dumpPath));
      // One transaction: a restore that fails half-way leaves the database empty, ready for another attempt.
      // Owners and grants of the old server are left out: the restoring role owns what it creates.
      await runPgTool('pg_restore', {
        binDir: target.pgBinDir,
        databaseUrl,
        args: ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', dumpPath],
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Writes the backup's evidence files that are not there yet, each checked against its name (its SHA-256). */
async function restoreEvidence(
  file: string,
  entries: Map<string, BackupEntry>,
  dir: string,
): Promise<number> {
  let restored = 0;
  for (const [name, entry] of entries) {
    const match = EVIDENCE_ENTRY.exec(name);
    if (!match) continue;
    const [, prefix, sha] = match as unknown as [string, string, string];
    if (!sha.startsWith(prefix)) continue;
    const bytes = await readAll(readEntry(file, entry));
    if (sha256(bytes) !== sha) {
      throw invalid({ zh: `证据文件 ${sha} 已损坏`, en: `evidence file ${sha} is damaged` });
    }
    const path = join(dir, prefix, sha);
    if (existsSync(path)) continue;
    await mkdir(join(dir, prefix), { recursive: true });
    await writeFile(`${path}.restore.tmp`, bytes);
    await rename(`${path}.restore.tmp`, path);
    restored++;
  }
  return restored;
}

/**
 * The nightly job: a backup named by its time in `dir`, then all but the newest `keep` backups there deleted
 * (0 keeps them all). Only files named as this writes them are ever deleted.
 */
export async function takeNightlyBackup(
  source: BackupSource,
  options: { dir: string; keep: number },
): Promise<{ path: string; manifest: BackupManifest; removed: string[] }> {
  const at = (source.clock ?? systemClock).now();
  const path = join(options.dir, backupFileName(at));
  const manifest = await takeBackup(source, path);
  const removed: string[] = [];
  if (options.keep > 0) {
    const backups = (await readdirOrEmpty(options.dir)).filter((name) => BACKUP_FILE.test(name)).sort();
    for (const name of backups.slice(0, Math.max(0, backups.length - options.keep))) {
      await rm(join(options.dir, name), { force: true });
      removed.push(name);
    }
  }
  return { path, manifest, removed };
}

/** When the newest backup in `dir` was taken (from its name), or null when there is none. */
export async function newestBackupAt(dir: string): Promise<Date | null> {
  const newest = (await readdirOrEmpty(dir))
    .filter((name) => BACKUP_FILE.test(name))
    .sort()
    .at(-1);
  const stamp = newest ? /(\d{8})T(\d{6})/.exec(newest) : null;
  if (!stamp?.[1] || !stamp[2]) return null;
  const [d, t] = [stamp[1], stamp[2]];
  return new Date(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4)}Z`,
  );
}

function crossBackend(backend: Backend): AppError {
  return backend === 'pglite'
    ? invalid({
        zh: '这是内置数据库的备份，请不设 DATABASE_URL、用空的 GRIDGOV_DATA_DIR 恢复',
        en: 'it is a backup of the embedded database: restore it without DATABASE_URL, into an empty GRIDGOV_DATA_DIR',
      })
    : invalid({
        zh: '这是 PostgreSQL 数据库的备份，请设置 DATABASE_URL 指向一个空数据库后恢复',
        en: 'it is a backup of a PostgreSQL database: set DATABASE_URL to an empty database to restore it',
      });
}

function invalid(reason: { zh: string; en: string }): AppError {
  return new AppError('BACKUP_INVALID', { reason });
}

/** The content of one entry, read by its position without reading the rest of the file. */
function readEntry(file: string, entry: BackupEntry): Readable {
  // `end` is inclusive; an empty entry is an empty range.
  return createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 });
}

/** Adds one entry from memory, resolved once the archive has taken it. */
function addEntry(archive: Pack, name: string, bytes: Uint8Array, mtime = new Date()): Promise<void> {
  return new Promise((resolve, reject) =>
    archive.entry({ name, mtime }, bytes, (error) => (error ? reject(error) : resolve())),
  );
}

async function* hashing(source: AsyncIterable<Buffer>, hash: ReturnType<typeof createHash>) {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

async function readAll(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function isInside(parent: string, child: string): boolean {
  const path = relative(parent, child);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

let version: string | undefined;
function gridgovVersion(): string {
  version ??= (
    JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  return version;
}
