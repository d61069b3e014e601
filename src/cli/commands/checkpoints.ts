import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import type { z } from 'zod';
import {
  COUNT_HEADERS,
  countCells,
  ENTRY_HEADERS,
  entryCells,
} from '../../server/modules/forms/checkpoint-export.ts';
import { createTableWriter, type TableWriter } from '../../server/modules/registry/registry-file.ts';
import { checkpointListQuerySchema, countQuerySchema } from '../../shared/checkpoints.ts';
import { EXIT, withContext } from '../context.ts';

/** Parses options with the API's own schema; a wrong one is named, as the API names it, and exits 2. */
function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> | null {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
  return null;
}

interface PeriodOptions {
  from?: string;
  to?: string;
  region?: string;
  checkpoint?: string;
  json?: boolean;
}
const periodOf = (o: PeriodOptions) => ({
  from: o.from,
  to: o.to,
  regionCode: o.region,
  checkpointId: o.checkpoint,
});

/** Checkpoints (卡点): the list, daily counts and the files of entries and counts (ID numbers masked). */
export function registerCheckpointCommands(program: Command): void {
  const checkpoint = program
    .command('checkpoint')
    .description('Checkpoints (卡点): list, daily counts, export entries or counts');

  checkpoint
    .command('list')
    .description('Checkpoints: id, name, kind, status, village and grid, today’s entries, on duty now')
    .option('--region <code>', 'only checkpoints in this region or grid')
    .option('--json', 'print JSON')
    .action((options: { region?: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const query = parsed(checkpointListQuerySchema, { regionCode: options.region });
        if (!query) return EXIT.usage;
        const { checkpoints } = await services.checkpoints.listCheckpoints(actor, query);
        if (options.json) {
          console.log(JSON.stringify(checkpoints, null, 2));
          return;
        }
        for (const c of checkpoints) {
          console.log(
            `${c.id}\t${c.name}\t${c.kind}\t${c.status}\t${c.villageName} ${c.gridName} (${c.gridCode})\t` +
              `today ${c.today.total} (${c.today.stopped} stopped)\ton duty: ${c.onDutyNow.join(', ') || '-'}` +
              `${c.synthetic ? '\t(演示数据 synthetic)' : ''}`,
          );
        }
        console.log(`${checkpoints.length} checkpoints.`);
      }),
    );

  const period = (command: Command) =>
    command
      .option('--from <date>', 'first day, YYYY-MM-DD (Asia/Shanghai; default 6 days before --to)')
      .option('--to <date>', 'last day, YYYY-MM-DD (default today)')
      .option('--region <code>', 'only this region or grid')
      .option('--checkpoint <id>', 'only this checkpoint');

  period(checkpoint.command('counts'))
    .description('Per checkpoint and day: people in/out, vehicles in/out, stopped, fever, total')
    .option('--json', 'print JSON')
    .action((options: PeriodOptions) =>
      withContext(async ({ services, actor }) => {
        const query = parsed(countQuerySchema, periodOf(options));
        if (!query) return EXIT.usage;
        const counts = await services.checkpoints.dailyCounts(actor, query);
        if (options.json) {
          console.log(JSON.stringify(counts, null, 2));
          return;
        }
        console.log(COUNT_HEADERS['en-US'].join('\t'));
        for (const row of counts.rows) console.log(countCells(row).join('\t'));
      }),
    );

  period(checkpoint.command('export'))
    .description('Write entries (default) or daily counts to a CSV or XLSX file; ID numbers are masked')
    .requiredOption('--out <file>', 'the file to write; .xlsx gives XLSX, anything else CSV')
    .option('--counts', 'the daily counts instead of the entries')
    .action((options: PeriodOptions & { out: string; counts?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const query = parsed(countQuerySchema, periodOf(options));
        if (!query) return EXIT.usage;
        const out = createWriteStream(options.out);
        let writer: TableWriter | null = null;
        const sink = {
          async headers(headers: string[]) {
            writer = createTableWriter(options.out.endsWith('.xlsx') ? 'xlsx' : 'csv', out, {
              sheetName: 'checkpoints',
            });
            await writer.row(headers);
          },
          async row(cells: (string | number)[]) {
            await writer?.row(cells);
          },
        };
        const rows = options.counts
          ? await services.checkpoints.exportCounts(
              actor,
              query,
              sink,
              COUNT_HEADERS[actor.locale],
              countCells,
            )
          : await services.checkpoints.exportEntries(
              actor,
              query,
              sink,
              ENTRY_HEADERS[actor.locale],
              entryCells(actor.locale),
            );
        await (writer as TableWriter | null)?.end();
        console.log(`${rows} rows written to ${options.out}.`);
      }),
    );
}
