import { resolve } from 'node:path';
import { PUBLIC_CASE_SOURCES } from '../shared/case-privacy.ts';
import { CASE_SOURCES } from '../shared/cases.ts';
import { DEFAULT_REGISTRATION_WINDOW_HOURS } from '../shared/registrations.ts';

/** Everything an operator can set, read once from the environment. Documented in README "Configuration". */
export interface Config {
  /** postgres://… selects a PostgreSQL server; unset means the embedded database in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  /** Raster tile URL template for the map (e.g. 天地图); null draws grids on a plain background. */
  basemapUrl: string | null;
  basemapAttribution: string | null;
  /** Load the demo town into an empty database at start. */
  loadDemo: boolean;
  /** With the demo town, load its synthetic registry (100,000 residents) in the background after start. */
  loadDemoRegistry: boolean;
  /** With the demo town, write its synthetic case history (a few months) in the background after start. */
  loadDemoHistory: boolean;
  /** How many whole months before the current one the demo history covers. */
  demoHistoryMonths: number;
  /** Send cookies with `Secure`: on behind HTTPS, off for a laptop on http://localhost. */
  secureCookies: boolean;
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (per-IP limits, the audit log): false
   * (none: the connection's address), true (any), or the proxies' addresses and CIDR ranges.
   */
  trustProxy: boolean | string;
  sessionHours: number;
  maxFailedLogins: number;
  lockMinutes: number;
  logLevel: string;
  /** Text new tasks and overdue cases to users' phones: `off`, or `log` (written to the server log). */
  sms: 'off' | 'log';
  /** Region codes the Open311 server answers for as jurisdiction_id; several make it required. */
  open311Jurisdictions: string[];
  /** The case sources whose cases Open311 publishes (besides the requests its clients sent). */
  open311PublicSources: string[];
  /** Reports one IP address may send through the public portal in an hour. */
  portalReportsPerHour: number;
  /** Days a settled webhook delivery (delivered, or given up) is kept in the delivery log; 0 keeps them all. */
  webhookKeepDays: number;
  /**
   * Hosts, addresses and CIDR ranges webhooks and Open311 outbound may reach although they are private,
   * loopback or link-local (refused otherwise, so a URL cannot point the server at its own network).
   */
  outboundAllow: string[];
  /** On the PostgreSQL server, the longest a request's statement may run (ms; 0: no limit). */
  statementTimeoutMs: number;
  /** Where the nightly backup writes (outside the data directory); null: no nightly backup. */
  backupDir: string | null;
  /** How many nightly backups are kept. */
  backupKeep: number;
  /** Metres within which a grid's area counts as covered by a patrol track (巡查覆盖). */
  patrolCoverageMetres: number;
  /** Hours after arrival within which a public self-registration (报备) is on time; later ones are flagged late. */
  registrationWindowHours: number;
}

/** How many whole months before the current one the demo history covers, unless told otherwise. */
export const DEMO_HISTORY_MONTHS = 3;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.GRIDGOV_DATA_DIR || './data'),
    host: env.HOST || '127.0.0.1',
    port: integer(env.PORT, 3000, 'PORT'),
    basemapUrl: env.GRIDGOV_BASEMAP_URL || null,
    basemapAttribution: env.GRIDGOV_BASEMAP_ATTRIBUTION || null,
    loadDemo: env.GRIDGOV_DEMO !== 'false',
    loadDemoRegistry: env.GRIDGOV_DEMO_REGISTRY !== 'false',
    loadDemoHistory: env.GRIDGOV_DEMO_HISTORY !== 'false',
    demoHistoryMonths: integer(
      env.GRIDGOV_DEMO_HISTORY_MONTHS,
      DEMO_HISTORY_MONTHS,
      'GRIDGOV_DEMO_HISTORY_MONTHS',
    ),
    secureCookies: env.GRIDGOV_SECURE_COOKIES === 'true',
    trustProxy: trustProxyOf(env.GRIDGOV_TRUST_PROXY),
    sessionHours: integer(env.GRIDGOV_SESSION_HOURS, 12, 'GRIDGOV_SESSION_HOURS'),
    maxFailedLogins: integer(env.GRIDGOV_MAX_FAILED_LOGINS, 5, 'GRIDGOV_MAX_FAILED_LOGINS'),
    lockMinutes: integer(env.GRIDGOV_LOCK_MINUTES, 15, 'GRIDGOV_LOCK_MINUTES'),
    logLevel: env.LOG_LEVEL || 'info',
    sms: oneOf(env.GRIDGOV_SMS, ['off', 'log'] as const, 'GRIDGOV_SMS'),
    open311Jurisdictions: (env.GRIDGOV_OPEN311_JURISDICTIONS ?? '')
      .split(',')
      .map((code) => code.trim())
      .filter(Boolean),
    open311PublicSources: sourcesOf(env.GRIDGOV_OPEN311_PUBLIC_SOURCES),
    portalReportsPerHour: integer(env.GRIDGOV_PORTAL_REPORTS_PER_HOUR, 10, 'GRIDGOV_PORTAL_REPORTS_PER_HOUR'),
    webhookKeepDays: integer(env.GRIDGOV_WEBHOOK_KEEP_DAYS, 30, 'GRIDGOV_WEBHOOK_KEEP_DAYS'),
    statementTimeoutMs: integer(env.GRIDGOV_STATEMENT_TIMEOUT_MS, 5_000, 'GRIDGOV_STATEMENT_TIMEOUT_MS'),
    backupDir:
      env.GRIDGOV_BACKUP_DIR === 'off'
        ? null
        : resolve(env.GRIDGOV_BACKUP_DIR || `${resolve(env.GRIDGOV_DATA_DIR || './data')}-backups`),
    backupKeep: integer(env.GRIDGOV_BACKUP_KEEP, 14, 'GRIDGOV_BACKUP_KEEP'),
    patrolCoverageMetres: integer(env.GRIDGOV_PATROL_COVERAGE_METRES, 50, 'GRIDGOV_PATROL_COVERAGE_METRES'),
    registrationWindowHours: integer(
      env.GRIDGOV_REGISTRATION_WINDOW_HOURS,
      DEFAULT_REGISTRATION_WINDOW_HOURS,
      'GRIDGOV_REGISTRATION_WINDOW_HOURS',
    ),
    outboundAllow: (env.GRIDGOV_OUTBOUND_ALLOW ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  };
}

/** The value if it is one of `allowed`; unset means the first. */
/** A list of case sources (comma-separated), each one gridgov knows; none given: the public sources. */
function sourcesOf(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [...PUBLIC_CASE_SOURCES];
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const source of list)
    if (!(CASE_SOURCES as readonly string[]).includes(source))
      throw new Error(
        `GRIDGOV_OPEN311_PUBLIC_SOURCES: "${source}" is not one of ${CASE_SOURCES.join(', ')}.`,
      );
  return list;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T {
  if (value === undefined || value === '') return allowed[0] as T;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${value}".`);
  }
  return value as T;
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new Error(`${name} must be a whole number, got "${value}".`);
  }
  return parsed;
}

/** GRIDGOV_TRUST_PROXY: unset or false, true, or the proxies' comma-separated addresses and CIDR ranges. */
function trustProxyOf(value: string | undefined): boolean | string {
  if (!value || value === 'false') return false;
  return value === 'true' ? true : value;
}
