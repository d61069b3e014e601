import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { z } from 'zod';
import {
  BULLETIN_FORMATS,
  BULLETIN_STATUSES,
  type BulletinFormat,
  type BulletinStatus,
  bulletinGenerateSchema,
  bulletinNumberText,
} from '../../shared/bulletins.ts';
import { pickLanguage } from '../../shared/errors.ts';
import { type CliContext, EXIT, withContext } from '../context.ts';

/** Prints zod's issues with the field each names; returns the usage exit code. */
function usage(error: z.ZodError, locale: CliContext['locale']): number {
  for (const issue of error.issues)
    console.error(`${issue.path.join('.') || 'input'}: ${pickLanguage(issue.message, locale)}`);
  return EXIT.usage;
}

/** Bulletins (通报): generate, list, publish and download, as the server's console does. */
export function registerBulletinCommands(program: Command): void {
  const bulletins = program
    .command('bulletins')
    .description('Weekly bulletins (周通报): generate, list, publish, download');

  bulletins
    .command('generate')
    .description('Generate a draft bulletin of a town or village (default period: last week, Monday–Sunday)')
    .requiredOption('--region <code>', 'the town or village code')
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD')
    .option('--office <text>', 'issuing office (default: the area name + 网格化服务管理中心)')
    .option('--json', 'print JSON')
    .action((options: { region: string; from?: string; to?: string; office?: string; json?: boolean }) =>
      withContext(async ({ services, actor, locale }: CliContext) => {
        const input = bulletinGenerateSchema.safeParse({
          regionCode: options.region,
          from: options.from,
          to: options.to,
          office: options.office,
        });
        if (!input.success) return usage(input.error, locale);
        const bulletin = await services.bulletins.generate(actor, input.data);
        if (options.json) return void console.log(JSON.stringify(bulletin, null, 2));
        console.log(
          `#${bulletin.id} ${bulletin.text.title}${bulletinNumberText(bulletin.year, bulletin.seq, bulletin.content.language)} (draft, version ${bulletin.version})`,
        );
        console.log(bulletin.text.headline);
      }),
    );

  bulletins
    .command('list')
    .description('List bulletins, newest first')
    .option('--status <status>', `one of ${BULLETIN_STATUSES.join(', ')}`)
    .option('--json', 'print JSON')
    .action((options: { status?: string; json?: boolean }) =>
      withContext(async ({ services, actor }: CliContext) => {
        if (options.status && !(BULLETIN_STATUSES as readonly string[]).includes(options.status)) {
          console.error(`--status must be one of ${BULLETIN_STATUSES.join(', ')}.`);
          return EXIT.usage;
        }
        const page = await services.bulletins.list(actor, {
          status: options.status as BulletinStatus | undefined,
          page: 1,
          pageSize: 100,
        });
        if (options.json) return void console.log(JSON.stringify(page, null, 2));
        console.log(['id', 'number', 'status', 'area', 'period', 'title'].join('\t'));
        for (const b of page.items)
          console.log(
            [b.id, `${b.year}-${b.seq}`, b.status, b.scopeName, `${b.from}..${b.to}`, b.title].join('\t'),
          );
        console.log(`${page.total} bulletins`);
      }),
    );

  bulletins
    .command('publish <id>')
    .description('Publish a draft: its text and figures are frozen from then on')
    .action((id: string) =>
      withContext(async ({ services, actor }: CliContext) => {
        if (!/^\d{1,9}$/.test(id)) {
          console.error('<id> must be a bulletin id.');
          return EXIT.usage;
        }
        const current = await services.bulletins.get(actor, Number(id));
        const bulletin = await services.bulletins.publish(actor, current.id, current.version);
        console.log(`#${bulletin.id} published ${bulletin.publishedAt}`);
      }),
    );

  bulletins
    .command('download <id>')
    .description('Write a bulletin as .docx, .pdf or .xlsx')
    .requiredOption('--format <format>', `one of ${BULLETIN_FORMATS.join(', ')}`)
    .requiredOption('--out <file>', 'where to write it')
    .action((id: string, options: { format: string; out: string }) =>
      withContext(async ({ services, actor }: CliContext) => {
        if (!/^\d{1,9}$/.test(id) || !(BULLETIN_FORMATS as readonly string[]).includes(options.format)) {
          console.error(`<id> must be a bulletin id and --format one of ${BULLETIN_FORMATS.join(', ')}.`);
          return EXIT.usage;
        }
        const file = await services.bulletins.document(actor, Number(id), options.format as BulletinFormat);
        await writeFile(options.out, file.bytes);
        console.log(`${options.out}: ${file.bytes.length} bytes`);
      }),
    );
}
