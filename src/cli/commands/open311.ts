import type { Command } from 'commander';
import { pickLanguage } from '../../shared/errors.ts';
import {
  createOpen311EndpointSchema,
  createOpen311KeySchema,
  OUTBOUND_STATUSES,
  type OutboundStatus,
} from '../../shared/open311.ts';
import { EXIT, withContext } from '../context.ts';

export function registerOpen311Commands(program: Command): void {
  const open311 = program.command('open311').description('The Open311 GeoReport v2 server (docs/open311.md)');
  const keys = open311.command('keys').description('Api keys of Open311 client applications');

  keys
    .command('list')
    .description('Every api key: id, state, prefix, rate limit per minute, region, name')
    .action(() =>
      withContext(async ({ services, actor }) => {
        const list = await services.apiKeys.listKeys(actor);
        if (list.length === 0) console.log('No api keys.');
        for (const k of list) {
          console.log(
            [
              k.id,
              k.revokedAt ? `revoked ${k.revokedAt}` : 'active',
              `${k.prefix}…`,
              `${k.rateLimitPerMinute}/min`,
              k.regionCode,
              k.name,
            ].join('\t'),
          );
        }
      }),
    );

  keys
    .command('create')
    .description('Issue an api key and print it (shown this once)')
    .requiredOption('--name <name>', 'the client application it is for')
    .option('--rate <n>', 'requests per minute the key may write', '60')
    .option('--region <code>', 'the region the key reports in (required from the command line)')
    .action((options: { name: string; rate: string; region?: string }) =>
      withContext(async ({ services, actor, locale }) => {
        const input = createOpen311KeySchema.safeParse({
          name: options.name,
          rateLimitPerMinute: Number(options.rate),
          ...(options.region ? { regionCode: options.region } : {}),
        });
        if (!input.success) {
          for (const issue of input.error.issues) {
            console.error(`${String(issue.path[0])}: ${pickLanguage(issue.message, locale)}`);
          }
          return EXIT.usage;
        }
        const created = await services.apiKeys.createKey(actor, input.data);
        console.log(
          `Created api key ${created.id} (${created.name}), ${created.rateLimitPerMinute} writes a minute.`,
        );
        console.log(`api_key (shown only now): ${created.key}`);
      }),
    );

  keys
    .command('revoke')
    .description('Revoke an api key: the next request with it is refused')
    .argument('<id>', 'api key id (from list)')
    .action((id: string) =>
      withContext(async ({ services, actor }) => {
        const revoked = await services.apiKeys.revokeKey(actor, Number(id));
        console.log(`Revoked api key ${revoked.id} (${revoked.name}) at ${revoked.revokedAt}.`);
      }),
    );

  const endpoints = open311
    .command('endpoints')
    .description("Outbound: departments' own Open311 systems their dispatched cases are sent to");

  endpoints
    .command('list')
    .description('Every endpoint: id, state, department, URL, masked key, failed sends, last pull')
    .action(() =>
      withContext(async ({ services, actor }) => {
        const list = await services.open311Outbound.listEndpoints(actor);
        if (list.length === 0) console.log('No Open311 endpoints.');
        for (const e of list) {
          console.log(
            [
              e.id,
              e.active ? 'active' : 'inactive',
              e.name,
              e.departmentName ?? e.departmentId,
              e.baseUrl,
              e.apiKeyMasked,
              `${e.failedCount} failed`,
              e.lastPullError ? `pull failed: ${e.lastPullError}` : `pulled until ${e.pulledUntil}`,
            ].join('\t'),
          );
        }
      }),
    );

  endpoints
    .command('add')
    .description("Send a department's dispatched cases to its own GeoReport v2 server")
    .requiredOption('--name <name>', 'a name to recognise it by')
    .requiredOption('--department <id>', 'the department whose system it is')
    .requiredOption('--url <url>', 'the v2 root, e.g. https://311.example.org/open311/v2')
    .requiredOption('--key <api_key>', 'the api_key that server issued')
    .option('--jurisdiction <id>', 'jurisdiction_id to send')
    .option('--categories <ids>', 'comma-separated category ids; all categories when left out')
    .action(
      (options: {
        name: string;
        department: string;
        url: string;
        key: string;
        jurisdiction?: string;
        categories?: string;
      }) =>
        withContext(async ({ services, actor, locale }) => {
          const input = createOpen311EndpointSchema.safeParse({
            name: options.name,
            departmentId: Number(options.department),
            baseUrl: options.url,
            apiKey: options.key,
            jurisdictionId: options.jurisdiction ?? null,
            categoryIds: options.categories ? options.categories.split(',').map(Number) : [],
          });
          if (!input.success) {
            for (const issue of input.error.issues) {
              console.error(`${String(issue.path[0])}: ${pickLanguage(issue.message, locale)}`);
            }
            return EXIT.usage;
          }
          const created = await services.open311Outbound.createEndpoint(actor, input.data);
          console.log(
            `Created Open311 endpoint ${created.id} (${created.name}) for ${created.departmentName}.`,
          );
        }),
    );

  endpoints
    .command('sends')
    .description('The latest cases sent to endpoints: id, status, attempts, case, remote id, last error')
    .option('--status <status>', `only ${OUTBOUND_STATUSES.join(' | ')}`)
    .option('--endpoint <id>', 'only this endpoint')
    .action((options: { status?: string; endpoint?: string }) =>
      withContext(async ({ services, actor }) => {
        if (options.status && !(OUTBOUND_STATUSES as readonly string[]).includes(options.status)) {
          console.error(`--status: one of ${OUTBOUND_STATUSES.join(', ')}`);
          return EXIT.usage;
        }
        const rows = await services.open311Outbound.listOutbound(actor, {
          status: options.status as OutboundStatus | undefined,
          endpointId: options.endpoint ? Number(options.endpoint) : undefined,
          limit: 100,
        });
        if (rows.length === 0) console.log('No sends.');
        for (const r of rows) {
          console.log(
            [
              r.id,
              r.status,
              `${r.attempts} attempts`,
              r.caseNumber,
              r.remoteRequestId ?? r.remoteToken ?? '-',
              r.nextAttemptAt ? `next ${r.nextAttemptAt}` : '',
              r.lastError ?? '',
            ].join('\t'),
          );
        }
      }),
    );

  endpoints
    .command('retry')
    .description('Attempt a failed or dead send again now')
    .argument('<id>', 'send id (from sends)')
    .action((id: string) =>
      withContext(async ({ services, actor }) => {
        const row = await services.open311Outbound.retryOutbound(actor, Number(id));
        console.log(
          `Send ${row.id} (case ${row.caseNumber}): ${row.status}` +
            (row.lastError
              ? `, ${row.lastError}`
              : row.remoteRequestId
                ? `, remote ${row.remoteRequestId}`
                : ''),
        );
        return row.status === 'sent' ? undefined : EXIT.failed;
      }),
    );
}
