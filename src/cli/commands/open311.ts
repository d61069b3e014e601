import type { Command } from 'commander';
import { pickLanguage } from '../../shared/errors.ts';
import { createOpen311KeySchema } from '../../shared/open311.ts';
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
    .action((options: { name: string; rate: string }) =>
      withContext(async ({ services, actor, locale }) => {
        const input = createOpen311KeySchema.safeParse({
          name: options.name,
          rateLimitPerMinute: Number(options.rate),
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
}
