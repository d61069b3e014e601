import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { loadDemoRegistry } from '../../server/db/seed/demo-registry.ts';
import {
  createTableWriter,
  type FileFormat,
  type TableWriter,
} from '../../server/modules/registry/registry-file.ts';
import { localize } from '../../shared/errors.ts';
import { REGISTRY_ENTITIES, REGISTRY_PATHS, type RegistryEntity } from '../../shared/registry.ts';
import { EXIT, withContext } from '../context.ts';

const TYPES = REGISTRY_ENTITIES.join(', ');

/** `resident`, `residents` — either names a type. */
function entityOf(type: string): RegistryEntity | null {
  const found = REGISTRY_ENTITIES.find((e) => e === type || REGISTRY_PATHS[e] === type);
  if (!found) console.error(`Unknown type "${type}": use one of ${TYPES}.`);
  return found ?? null;
}

function formatOf(file: string | undefined, given: string | undefined): FileFormat {
  if (given === 'csv' || given === 'xlsx') return given;
  return file?.toLowerCase().endsWith('.csv') ? 'csv' : 'xlsx';
}

const count = (n: number) => n.toLocaleString('en');

export function registerRegistryCommands(program: Command): void {
  const registry = program
    .command('registry')
    .description(
      'The registry (四标四实): addresses, buildings, houses, residents, organisations, facilities',
    );

  registry
    .command('import')
    .description(
      `Import a CSV or XLSX file of one type (${TYPES}): good rows written (upsert by natural key), bad rows reported`,
    )
    .argument('<type>', TYPES)
    .argument('<file>', 'CSV (UTF-8 or GBK) or XLSX file; read as a stream, any size')
    .option('--report <file>', 'write every rejected row with its reason to this file (.xlsx or .csv)')
    .option('--gcj02', 'the coordinates are GCJ-02 (Amap/Tencent): convert them to WGS-84')
    .option('--mapping <json>', 'field → header overrides, e.g. {"idNumber":"证件号码"}')
    .action((type: string, file: string, options: { report?: string; gcj02?: boolean; mapping?: string }) =>
      withContext(async ({ services, actor, locale }) => {
        const entity = entityOf(type);
        if (!entity) return EXIT.usage;
        const started = performance.now();
        const tty = process.stderr.isTTY;
        const result = await services.registryImports.importFile(
          actor,
          entity,
          {
            stream: createReadStream(file, { highWaterMark: 256 * 1024 }),
            fileName: file,
            mapping: options.mapping,
            crs: options.gcj02 ? 'gcj02' : 'wgs84',
          },
          (p) => {
            const seconds = (performance.now() - started) / 1000;
            const line =
              `${count(p.rows)} rows (${count(Math.round(p.rows / seconds))}/s): ${count(p.created)} created, ` +
              `${count(p.updated)} updated, ${count(p.unchanged)} unchanged, ${count(p.rejected)} rejected`;
            process.stderr.write(tty ? `\r${line}   ` : `${line}\n`);
          },
        );
        if (tty) process.stderr.write('\n');
        const seconds = (performance.now() - started) / 1000;
        console.log(
          `Import ${result.id}: ${count(result.total)} rows in ${seconds.toFixed(1)} s — ${count(result.created)} created, ` +
            `${count(result.updated)} updated, ${count(result.unchanged)} unchanged, ${count(result.rejected)} rejected.`,
        );
        for (const error of result.errors.slice(0, 20)) console.error(`  row ${error.row}: ${error.reason}`);
        if (result.rejected > 20) console.error(`  … and ${count(result.rejected - 20)} more rejected rows.`);
        if (options.report) {
          const report = await services.registryImports.errorReport(actor, result.id, {
            format: formatOf(options.report, undefined),
            locale,
          });
          const out = createWriteStream(options.report);
          const finished = once(out, 'close');
          await report.write(out);
          await finished;
          console.log(`Rejected rows with their reasons: ${options.report}`);
        } else if (result.rejected) {
          console.log('Add --report errors.xlsx to get every rejected row with its reason.');
        }
        return result.rejected ? EXIT.rejected : EXIT.ok;
      }),
    );

  registry
    .command('export')
    .description(`Export the records of one type (${TYPES}) as XLSX or CSV, personal data masked`)
    .argument('<type>', TYPES)
    .option('-o, --out <file>', 'the file to write (default: standard output, CSV)')
    .option('--format <format>', 'csv or xlsx (default: by the file name)')
    .option('--region <code>', 'only this region or grid and below')
    .action((type: string, options: { out?: string; format?: string; region?: string }) =>
      withContext(async ({ services, actor }) => {
        const entity = entityOf(type);
        if (!entity) return EXIT.usage;
        const format = options.out ? formatOf(options.out, options.format) : 'csv';
        const out: Writable = options.out ? createWriteStream(options.out) : process.stdout;
        let writer: TableWriter | null = null;
        const rows = await services.registry.exportRecords(
          actor,
          entity,
          { regionCode: options.region, page: 1, pageSize: 1 },
          {
            async headers(headers) {
              writer = createTableWriter(format, out, { sheetName: entity });
              await writer.row(headers);
            },
            async row(cells) {
              await writer?.row(cells);
            },
          },
        );
        if (options.out) {
          const closed = once(out, 'close');
          await (writer as TableWriter | null)?.end();
          await closed;
          console.error(`${count(rows)} rows written to ${options.out}.`);
        } else {
          await (writer as TableWriter | null)?.end().catch(() => undefined);
        }
      }),
    );

  registry
    .command('relocate')
    .description('Place every record into its grid again (boundary imports do this themselves)')
    .action(() =>
      withContext(async ({ services, actor }) => {
        const result = await services.registry.relocateAll(actor);
        const moved = Object.entries(result.moved)
          .map(([entity, n]) => `${entity} ${count(n)}`)
          .join(', ');
        console.log(`Moved into other grids: ${moved}.`);
        if (result.conflicts)
          console.log(`${result.conflicts} addresses stayed: the same address exists where they would go.`);
        if (result.outside)
          console.log(`${result.outside} records lie outside every grid now and stayed where they were.`);
      }),
    );

  registry
    .command('demo')
    .description('Load the synthetic registry of the demo town (100,000 residents …) into an empty registry')
    .action(() =>
      withContext(async ({ database, services, locale }) => {
        const report = await loadDemoRegistry(database.db, services, {
          onStep: (step) => console.error(`Loading the demo registry: ${step}…`),
        });
        if (!report.loaded) {
          console.log(
            localize(
              {
                zh: '未载入：需要演示镇（seed-demo），且登记数据为空。',
                en: 'Not loaded: it needs the demo town (seed-demo) and an empty registry.',
              },
              locale,
            ),
          );
          return EXIT.failed;
        }
        console.log(
          `Demo registry loaded in ${(report.ms / 1000).toFixed(1)} s: ${count(report.residents)} residents in ` +
            `${count(report.houses)} houses, ${count(report.organisations)} organisations, ` +
            `${count(report.facilities)} facilities.`,
        );
      }),
    );
}
