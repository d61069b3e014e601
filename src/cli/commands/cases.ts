import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../server/errors.ts';
import {
  HOTLINE_FIELDS,
  type HotlineField,
  type HotlineMapping,
  type HotlineRow,
} from '../../shared/hotline.ts';
import { EXIT, reportError, withContext } from '../context.ts';

interface ImportHotlineOptions {
  map: string[];
  as?: string;
  report?: string;
  gcj02?: boolean;
  dryRun?: boolean;
}

/** `--map field=header` options as a mapping; an empty header unmaps the field. */
function mappingOf(pairs: readonly string[]): HotlineMapping | string {
  const mapping: HotlineMapping = {};
  for (const pair of pairs) {
    const [field, ...rest] = pair.split('=');
    if (!field || !(HOTLINE_FIELDS as readonly string[]).includes(field) || rest.length === 0) {
      return `--map ${pair}: write field=header, the field one of ${HOTLINE_FIELDS.join(', ')}`;
    }
    mapping[field as HotlineField] = rest.join('=').trim() || null;
  }
  return mapping;
}

function printRejected(rows: readonly HotlineRow[]): void {
  for (const row of rows) {
    console.log(`  row ${row.row}${row.orderNo ? ` [${row.orderNo}]` : ''}: ${row.reasons.join('; ')}`);
  }
}

export function registerCaseCommands(program: Command): void {
  const cases = program.command('cases').description('Cases: import 12345 hotline work orders');

  cases
    .command('import-hotline')
    .description(
      'Import a 12345 hotline export (CSV or XLSX): each valid row becomes a case, once per order number; ' +
        'rejected rows are listed (exit 3 when there are any)',
    )
    .argument('<file>', 'CSV (UTF-8 or GBK) or XLSX file')
    .option(
      '--map <field=header>',
      `the column of a field, repeatable (fields: ${HOTLINE_FIELDS.join(', ')}); an empty header unmaps it`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--as <username>', "import in this user's name, with their role and data scope")
    .option('--report <file>', 'write the rejected rows with their reasons to this .xlsx or .csv file')
    .option('--gcj02', 'the lon/lat columns are GCJ-02 (Amap/Tencent): convert them to WGS-84')
    .option('--dry-run', 'check the file and show what an import would do, without writing anything')
    .action((file: string, options: ImportHotlineOptions) =>
      withContext(async ({ services, actor: system, locale }) => {
        const mapping = mappingOf(options.map);
        if (typeof mapping === 'string') {
          console.error(mapping);
          return EXIT.usage;
        }
        if (options.dryRun && options.report) {
          console.error('--report needs an import: leave out --dry-run');
          return EXIT.usage;
        }
        const actor = options.as ? await services.auth.actorByUsername(options.as, locale) : system;
        const input = {
          fileName: basename(file),
          bytes: readFileSync(file),
          mapping,
          crs: options.gcj02 ? ('gcj02' as const) : ('wgs84' as const),
        };
        try {
          if (options.dryRun) {
            const preview = await services.hotline.previewFile(actor, input);
            for (const problem of preview.mappingProblems) console.log(`mapping: ${problem}`);
            console.log(
              `Checked (dry run) ${preview.total} rows: ${preview.ready} to create, ` +
                `${preview.alreadyImported} already imported, ${preview.rejected} rejected.`,
            );
            printRejected(preview.rejectedRows);
            return preview.rejected || preview.mappingProblems.length ? EXIT.rejected : EXIT.ok;
          }
          const result = await services.hotline.importFile(actor, input);
          console.log(
            `Imported ${result.fileName}: ${result.total} rows, ${result.created} created, ` +
              `${result.alreadyImported} already imported, ${result.rejected} rejected.`,
          );
          for (const row of result.rows) {
            if (row.status === 'created')
              console.log(`  row ${row.row} [${row.orderNo}] → case ${row.caseNumber}`);
          }
          printRejected(result.rows.filter((r) => r.status === 'rejected'));
          if (options.report && result.rejected) {
            const format = extname(options.report).toLowerCase() === '.csv' ? 'csv' : 'xlsx';
            const report = await services.hotline.errorReport(actor, result.id, { format, locale });
            writeFileSync(options.report, report.bytes);
            console.log(`Rejected rows written to ${options.report}.`);
          }
          return result.rejected ? EXIT.rejected : EXIT.ok;
        } catch (error) {
          // A file that cannot be read or mapped is rejected input, like a file with bad rows.
          if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
          reportError(error, locale);
          return EXIT.rejected;
        }
      }),
    );
}
