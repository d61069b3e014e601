import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { z } from 'zod';
import { createTableWriter } from '../../server/modules/registry/registry-file.ts';
import {
  type Registration,
  registrationCountQuerySchema,
  registrationListQuerySchema,
} from '../../shared/registrations.ts';
import { EXIT, withContext } from '../context.ts';

/** Parses options with the API's own schema; a wrong one is named, as the API names it, and exits 2. */
function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> | null {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
  return null;
}

const flag = (value: string | undefined) =>
  value === undefined ? undefined : value === 'yes' ? 'true' : 'false';

/** The filters list and export share, in the API's query shape. */
function listQuery(options: ListOptions, extra: Record<string, unknown> = {}) {
  return parsed(registrationListQuerySchema, {
    from: options.from,
    to: options.to,
    late: flag(options.late),
    confirmed: flag(options.confirmed),
    regionCode: options.region,
    ...extra,
  });
}

interface ListOptions {
  from?: string;
  to?: string;
  late?: string;
  confirmed?: string;
  region?: string;
}

const HEADERS = [
  '回执码 receipt',
  '报备时间 registered',
  '姓名 name',
  '身份证号 ID number',
  '电话 phone',
  '从何处来 from',
  '到达时间 arrived',
  '逾期 late',
  '社区 community',
  '网格 grid',
  '区划代码 code',
  '地址 address',
  '核实时间 confirmed',
  '核实人 by',
  '演示数据 synthetic',
];

/** One registration as a row: ID number and phone as the API gives them (masked). */
function cells(r: Registration): string[] {
  return [
    r.receiptCode,
    r.registeredAt,
    r.name,
    r.idNumber,
    r.phone,
    r.origin,
    r.arrivedAt,
    r.late ? `yes (${r.hoursAfterArrival} h)` : 'no',
    r.villageName,
    r.gridName ?? '',
    r.regionCode,
    r.address,
    r.confirmedAt ?? '',
    r.confirmedByName ?? '',
    r.synthetic ? 'yes' : '',
  ];
}

/** Public self-registrations (报备): list, counts per community and day, export (masked). */
export function registerRegistrationCommands(program: Command): void {
  const registration = program
    .command('registration')
    .description('Public self-registrations (报备): list, counts per community and day, export');
  const filters = (command: Command) =>
    command
      .option('--from <date>', 'first day of registration, YYYY-MM-DD (default: 6 days before --to)')
      .option('--to <date>', 'last day, YYYY-MM-DD (default: today, Asia/Shanghai)')
      .option('--late <yes|no>', 'only late, or only on time')
      .option('--confirmed <yes|no>', 'only confirmed, or only waiting for a visit')
      .option('--region <code>', 'only this village or grid and below');

  filters(registration.command('list'))
    .description('Registrations newest first, ID number and phone masked')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action((options: ListOptions & { limit: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const query = listQuery(options, { pageSize: options.limit });
        if (!query) return EXIT.usage;
        const page = await services.registrations.listRegistrations(actor, query);
        if (options.json) {
          console.log(JSON.stringify(page, null, 2));
          return;
        }
        for (const r of page.items) console.log(cells(r).join('\t'));
        console.log(`${page.items.length} of ${page.total} registrations.`);
      }),
    );

  registration
    .command('counts')
    .description('Registrations per community and day: total, late, confirmed')
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD')
    .option('--region <code>', 'only this region and below')
    .option('--json', 'print JSON')
    .action((options: { from?: string; to?: string; region?: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const query = parsed(registrationCountQuerySchema, {
          from: options.from,
          to: options.to,
          regionCode: options.region,
        });
        if (!query) return EXIT.usage;
        const counts = await services.registrations.countRegistrations(actor, query);
        if (options.json) {
          console.log(JSON.stringify(counts, null, 2));
          return;
        }
        console.log('day\tcommunity\tcode\ttotal\tlate\tconfirmed');
        for (const c of counts.rows) {
          console.log(`${c.day}\t${c.villageName}\t${c.villageCode}\t${c.total}\t${c.late}\t${c.confirmed}`);
        }
      }),
    );

  filters(registration.command('export'))
    .description('Export registrations as XLSX or CSV, ID number and phone masked (recorded in the log)')
    .option('-o, --out <file>', 'the file to write (default: standard output, CSV)')
    .option('--format <format>', 'csv or xlsx (default: by the file name)')
    .action((options: ListOptions & { out?: string; format?: string }) =>
      withContext(async ({ services, actor }) => {
        const query = listQuery(options);
        if (!query) return EXIT.usage;
        const format = (options.format ?? (options.out?.endsWith('.xlsx') ? 'xlsx' : 'csv')) as
          | 'csv'
          | 'xlsx';
        if (format !== 'csv' && format !== 'xlsx') {
          console.error(`--format: csv or xlsx, not ${format}`);
          return EXIT.usage;
        }
        const out: Writable = options.out ? createWriteStream(options.out) : process.stdout;
        const writer = createTableWriter(format, out, { sheetName: 'registrations' });
        await writer.row(HEADERS);
        const count = await services.registrations.exportRegistrations(actor, query, (r) =>
          writer.row(cells(r)),
        );
        if (options.out) {
          const closed = once(out, 'close');
          await writer.end();
          await closed;
          console.error(`${count} registrations written to ${options.out}.`);
        } else {
          await writer.end().catch(() => undefined);
        }
      }),
    );
}
