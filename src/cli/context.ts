import { systemClock } from '../server/clock.ts';
import { loadConfig } from '../server/config.ts';
import { createDatabase, type DatabaseHandle } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createServices, type Services } from '../server/deps.ts';
import { AppError } from '../server/errors.ts';
import { type Actor, systemActor } from '../server/modules/people/actor.ts';
import { errorMessage, type Locale, localeFromHeader } from '../shared/errors.ts';

/** Exit codes scripts can rely on; documented in docs/CLI.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2, rejected: 3 } as const;

export interface CliContext {
  database: DatabaseHandle;
  services: Services;
  actor: Actor;
  locale: Locale;
}

export function cliLocale(): Locale {
  return localeFromHeader(process.env.GRIDGOV_LANG ?? process.env.LANG?.replace('_', '-'));
}

/**
 * Opens the database the server would open (DATABASE_URL or GRIDGOV_DATA_DIR), migrated, and runs `work`
 * as the system administrator. Errors are printed as the user-facing message, with the exit code set.
 */
export async function withContext(work: (ctx: CliContext) => Promise<unknown>): Promise<void> {
  const config = loadConfig();
  const locale = cliLocale();
  let database: DatabaseHandle | undefined;
  try {
    database = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrateToLatest(database.db);
    const services = createServices({
      db: database.db,
      backend: database.backend,
      clock: systemClock,
      config,
    });
    await services.calendar.ensureSeeded();
    const code = await work({ database, services, actor: { ...systemActor('cli'), locale }, locale });
    // A command returns an exit code when it has one to give; finishing normally means success.
    process.exitCode = typeof code === 'number' ? code : EXIT.ok;
  } catch (error) {
    process.exitCode = reportError(error, locale);
  } finally {
    await database?.close();
  }
}

export function reportError(error: unknown, locale: Locale): number {
  if (error instanceof AppError) {
    console.error(errorMessage(error.code, error.params, locale));
    const details = error.details as
      | { errors?: { line: number; code?: string; reason: string }[] }
      | undefined;
    for (const row of details?.errors ?? []) {
      console.error(`  line ${row.line}${row.code ? ` [${row.code}]` : ''}: ${row.reason}`);
    }
    return error.code === 'IMPORT_REJECTED' ? EXIT.rejected : EXIT.failed;
  }
  console.error(error instanceof Error ? error.message : String(error));
  return EXIT.failed;
}
