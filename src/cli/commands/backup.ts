import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../server/config.ts';
import { backupFileName, restoreBackup, takeBackup } from '../../server/db/backup.ts';
import { DataDirLockedError } from '../../server/db/data-dir-lock.ts';
import { createDatabase, type DatabaseHandle, redactUrl } from '../../server/db/database.ts';
import { say } from '../../shared/errors.ts';
import { cliLocale, EXIT, reportError } from '../context.ts';

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Write one consistent snapshot of the database and the evidence files (a .tar file; see docs/CLI.md)',
    )
    .option('-o, --output <file>', 'the backup file (default ./gridgov-backup-<UTC time>.tar)')
    .action((options: { output?: string }) =>
      run(async () => {
        const config = loadConfig();
        const output = resolve(options.output ?? backupFileName(new Date()));
        if (!config.databaseUrl && !existsSync(join(config.dataDir, 'PG_VERSION'))) {
          // Opening an empty directory would create a new, empty database and back that up.
          console.error(
            say(
              {
                zh: '{dir} 中没有内置数据库，请用 GRIDGOV_DATA_DIR 指定服务器的数据目录。',
                en: 'There is no embedded database in {dir}: set GRIDGOV_DATA_DIR to the server’s data directory.',
              },
              cliLocale(),
              { dir: config.dataDir },
            ),
          );
          return EXIT.failed;
        }
        const database = await openForBackup(config.databaseUrl, config.dataDir);
        if (!database) return EXIT.failed;
        const started = Date.now();
        try {
          const manifest = await takeBackup(
            { database, config, pgBinDir: process.env.GRIDGOV_PG_BIN_DIR || undefined },
            output,
          );
          const { size } = await stat(output);
          const rows = Object.values(manifest.tables).reduce((sum, n) => sum + n, 0);
          console.log(
            `Backup written to ${output}: ${megabytes(size)} in ${seconds(started)}; ` +
              `${Object.keys(manifest.tables).length} tables, ${rows} rows, ` +
              `audit head ${manifest.auditHead ? `#${manifest.auditHead.seq} ${manifest.auditHead.hash.slice(0, 16)}…` : 'none'}, ` +
              (manifest.evidence.inDatabaseDump
                ? 'evidence files inside the database dump.'
                : `${manifest.evidence.files} evidence files (${megabytes(manifest.evidence.bytes)}).`),
          );
        } finally {
          await database.close();
        }
      }),
    );

  program
    .command('restore')
    .description(
      'Restore a backup into an empty data directory (GRIDGOV_DATA_DIR) or an empty database (DATABASE_URL), ' +
        'then check its row counts and audit chain',
    )
    .argument('<file>', 'a file written by `gridgov backup`')
    .action((file: string) =>
      run(async () => {
        const config = loadConfig();
        const started = Date.now();
        const report = await restoreBackup(resolve(file), {
          databaseUrl: config.databaseUrl,
          dataDir: config.dataDir,
          pgBinDir: process.env.GRIDGOV_PG_BIN_DIR || undefined,
        });
        const { manifest, audit } = report;
        const rows = Object.values(report.tables).reduce((sum, n) => sum + n, 0);
        const target = config.databaseUrl ? redactUrl(config.databaseUrl) : config.dataDir;
        console.log(
          `Restored the ${manifest.backend} backup of ${manifest.createdAt} (gridgov ${manifest.gridgovVersion}, ` +
            `schema ${manifest.schemaVersion ?? 'none'}) into ${target} in ${seconds(started)}: ` +
            `${Object.keys(report.tables).length} tables and ${rows} rows, as the backup's manifest lists; ` +
            (manifest.evidence.inDatabaseDump
              ? 'evidence files with the database.'
              : `${report.evidenceFiles} evidence files written.`),
        );
        if (!audit.ok) {
          console.error(
            `Audit log broken in the backup: entry ${audit.brokenId} (${audit.entries} entries before it are intact).`,
          );
          return EXIT.rejected;
        }
        console.log(
          `Audit chain intact: ${audit.entries} entries, head ${report.auditHead ? `#${report.auditHead.seq}` : 'none'}. ` +
            'Start the server on it; it brings an older schema up to date.',
        );
      }),
    );
}

/** Opens the database without migrating it: a backup copies the database as the server left it. */
async function openForBackup(
  databaseUrl: string | undefined,
  dataDir: string,
): Promise<DatabaseHandle | null> {
  try {
    return await createDatabase({ databaseUrl, dataDir, poolSize: 2, statementTimeoutMs: 0 });
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    console.error(error.message);
    console.error(
      say(
        {
          zh: '服务器运行时，内置数据库的备份由服务器自己完成（每晚自动备份，或在管理后台发起）；要用命令行备份，请先停止服务器。',
          en: 'While the server runs, the embedded database is backed up by the server itself (the nightly backup, or from the admin console); stop the server to back up from the command line.',
        },
        cliLocale(),
      ),
    );
    return null;
  }
}

async function run(work: () => Promise<number | undefined>): Promise<void> {
  try {
    process.exitCode = (await work()) ?? EXIT.ok;
  } catch (error) {
    process.exitCode = reportError(error, cliLocale());
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
