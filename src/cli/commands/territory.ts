import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT, withContext } from '../context.ts';

function output(text: string, file: string | undefined): void {
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}

export function registerTerritoryCommands(program: Command): void {
  program
    .command('import-divisions')
    .description('Import regions from a CSV file (code,name,level,parent_code); all rows or none')
    .argument('<file>', 'CSV file')
    .option('--dry-run', 'check the file without writing anything')
    .action((file: string, options: { dryRun?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const report = await services.territory.importDivisions(actor, {
          csv: readFileSync(file, 'utf8'),
          dryRun: options.dryRun,
        });
        console.log(
          `${report.applied ? 'Imported' : 'Checked (dry run)'} ${report.total} rows: ` +
            `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged.`,
        );
      }),
    );

  program
    .command('export-divisions')
    .description('Export regions as CSV')
    .option('--root <code>', 'only this region and below')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action((options: { root?: string; out?: string }) =>
      withContext(async ({ services, actor }) => {
        output(await services.territory.exportDivisions(actor, { root: options.root }), options.out);
      }),
    );

  program
    .command('import-boundaries')
    .description(
      'Import boundaries from a GeoJSON FeatureCollection (properties.code; new grids need properties.name)',
    )
    .argument('<file>', 'GeoJSON file')
    .option('--gcj02', 'the coordinates are GCJ-02 (Amap/Tencent): convert them to WGS-84')
    .option('--dry-run', 'check the file without writing anything')
    .action((file: string, options: { gcj02?: boolean; dryRun?: boolean }) =>
      withContext(async ({ services, actor }) => {
        let geojson: unknown;
        try {
          geojson = JSON.parse(readFileSync(file, 'utf8'));
        } catch (error) {
          console.error(`${file} is not valid JSON: ${(error as Error).message}`);
          return EXIT.rejected;
        }
        const report = await services.territory.importBoundaries(actor, {
          geojson,
          crs: options.gcj02 ? 'gcj02' : 'wgs84',
          dryRun: options.dryRun,
        });
        console.log(
          `${report.applied ? 'Imported' : 'Checked (dry run)'} ${report.updated} of ${report.total} boundaries.`,
        );
        for (const issue of report.issues) console.log(`  warning [${issue.kind}] ${issue.message}`);
      }),
    );

  program
    .command('export-boundaries')
    .description('Export boundaries as a GeoJSON FeatureCollection')
    .option('--root <code>', 'only this region and below')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action((options: { root?: string; out?: string }) =>
      withContext(async ({ services, actor }) => {
        const collection = await services.territory.exportBoundaries(actor, { root: options.root });
        output(`${JSON.stringify(collection)}\n`, options.out);
      }),
    );

  program
    .command('validate-territory')
    .description(
      'List boundary problems: invalid or self-intersecting polygons, overlaps, gaps (exit 3 if any)',
    )
    .option('--root <code>', 'only this region and below')
    .action((options: { root?: string }) =>
      withContext(async ({ services, actor }) => {
        const issues = await services.territory.validateTerritory(actor, { root: options.root });
        for (const issue of issues) console.log(`[${issue.kind}] ${issue.message}`);
        console.log(issues.length ? `${issues.length} problems found.` : 'No problems found.');
        return issues.length ? EXIT.rejected : EXIT.ok;
      }),
    );

  program
    .command('locate')
    .description('Find the leaf grid of a WGS-84 point')
    .argument('<lon>', 'longitude')
    .argument('<lat>', 'latitude')
    .action((lon: string, lat: string) =>
      withContext(async ({ services, actor }) => {
        const result = await services.territory.locate(actor, Number(lon), Number(lat));
        if (!result.found) {
          console.log(result.message);
          return EXIT.rejected;
        }
        console.log([...result.ancestors, result.grid].map((r) => `${r.name}（${r.code}）`).join(' › '));
        for (const p of result.people) console.log(`  ${p.duty}: ${p.name}${p.phone ? ` ${p.phone}` : ''}`);
      }),
    );
}
