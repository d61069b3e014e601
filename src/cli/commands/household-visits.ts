import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { writeAnswersWorkbook } from '../../server/modules/forms/household-visit-export.ts';
import { EXIT, withContext } from '../context.ts';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);

/** Household-visit campaigns (入户走访): campaigns, coverage per region or grid, the unvisited, answers as XLSX. */
export function registerHouseholdVisitCommands(program: Command): void {
  const visits = program
    .command('visits')
    .description(
      'Household-visit campaigns (入户走访): campaigns, coverage, unvisited households, answers export',
    );

  visits
    .command('campaigns')
    .description('Campaigns: id, name, form version, area, period, households visited / in the registry')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const { items } = await services.householdVisits.listCampaigns(actor);
        if (options.json) {
          console.log(JSON.stringify(items, null, 2));
          return;
        }
        for (const c of items) {
          const area = c.regions.map((r) => `${r.name}(${r.code})`).join('、');
          console.log(
            `${c.id}\t${c.name}\t${c.formTitle} v${c.formVersion}\t${area}\t${c.startsOn}–${c.endsOn}\t` +
              `${c.visited}/${c.households} ${percent(c.households ? c.visited / c.households : null)}`,
          );
        }
      }),
    );

  visits
    .command('coverage <campaignId>')
    .description(
      'Coverage of a region and its children (villages of a town, grids of a village): households visited / ' +
        'households, people covered / residents',
    )
    .option('--region <code>', 'the region to break down (default: the area you see)')
    .option('--json', 'print JSON')
    .action((campaignId: string, options: { region?: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const id = Number(campaignId);
        if (!Number.isInteger(id) || id < 1) {
          console.error('campaignId: a positive integer');
          return EXIT.usage;
        }
        const coverage = await services.householdVisits.coverage(actor, id, options.region);
        if (options.json) {
          console.log(JSON.stringify(coverage, null, 2));
          return;
        }
        for (const row of [coverage.root, ...coverage.rows]) {
          console.log(
            `${row.code}\t${row.name}\t${row.visited}/${row.households}\t${percent(row.rate)}\t` +
              `${row.peopleCovered}/${row.residents}`,
          );
        }
      }),
    );

  visits
    .command('unvisited <campaignId>')
    .description('Households never visited (不漏一户), by grid and address')
    .option('--grid <code>', 'one grid or region of the area')
    .option('--json', 'print JSON')
    .action((campaignId: string, options: { grid?: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const id = Number(campaignId);
        const items = [];
        for (let page = 1; ; page++) {
          const result = await services.householdVisits.listHouseholds(actor, id, {
            status: 'unvisited',
            mine: false,
            page,
            pageSize: 2000,
            ...(options.grid ? { gridCode: options.grid } : {}),
          });
          items.push(...result.items);
          if (result.items.length < 2000) break;
        }
        if (options.json) {
          console.log(JSON.stringify(items, null, 2));
          return;
        }
        for (const h of items)
          console.log(`${h.gridCode}\t${h.gridName}\t${h.address}\t${h.key}\t${h.residents}`);
      }),
    );

  visits
    .command('export <campaignId> <file>')
    .description("Every visit's answers as XLSX (labels, and a second sheet of codes); personal data masked")
    .action((campaignId: string, file: string) =>
      withContext(async ({ services, actor }) => {
        const source = await services.householdVisits.campaignForExport(actor, Number(campaignId));
        const out = createWriteStream(file);
        await writeAnswersWorkbook(services.householdVisits, actor, source, out);
        if (!out.writableFinished) await once(out, 'finish');
        console.log(`Written ${file}`);
      }),
    );
}
