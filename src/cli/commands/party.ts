import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { z } from 'zod';
import { AppError } from '../../server/errors.ts';
import {
  partyFiguresQuerySchema,
  partyMemberImportSchema,
  partyMemberListQuerySchema,
} from '../../shared/party.ts';
import { locateQuerySchema } from '../../shared/territory.ts';
import { EXIT, withContext } from '../context.ts';

/** Parses options with the API's own schema; a wrong one is named, as the API names it, and exits 2. */
function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> | null {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
  return null;
}

/** The party layer (党建网格) and party members in their posts (设岗定责), as tables or JSON. */
export function registerPartyCommands(program: Command): void {
  const party = program
    .command('party')
    .description('Party grids, members and posts (党建网格, 设岗定责): lists, locate, import, figures');

  party
    .command('grids')
    .description('Party grids: the number per level, then code, level, name, region and secretary')
    .option('--level <n>', 'only this level (1–3)')
    .option('--root <code>', 'only grids held by this region (a village or the town)')
    .option('--json', 'print JSON')
    .action((options: { level?: string; root?: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const list = await services.territory.listLayerGrids(actor, {
          kind: 'party',
          root: options.root,
          level: options.level ? Number(options.level) : undefined,
        });
        if (options.json) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        console.log(list.counts.map((c) => `level ${c.gridLevel}: ${c.count}`).join('\t'));
        for (const g of list.grids) {
          const people = g.people.map((p) => p.name).join(', ');
          console.log(
            `${g.code}\t${g.gridLevel}\t${g.name}\t${g.regionName}\t${people}${g.synthetic ? '\t(演示数据 synthetic)' : ''}`,
          );
        }
      }),
    );

  party
    .command('locate')
    .description('The grid of every kind holding a WGS-84 point: comprehensive, then party (and special)')
    .requiredOption('--lon <lon>', 'longitude, WGS-84')
    .requiredOption('--lat <lat>', 'latitude, WGS-84')
    .option('--json', 'print JSON')
    .action((options: { lon: string; lat: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const point = parsed(locateQuerySchema, options);
        if (!point) return EXIT.usage;
        const located = await services.territory.locate(actor, point.lon, point.lat);
        if (options.json) {
          console.log(JSON.stringify(located, null, 2));
          return;
        }
        if (!located.found) {
          console.log(located.message);
          return EXIT.failed;
        }
        console.log(`comprehensive\t${located.grid.code}\t${located.grid.name}`);
        for (const l of located.layers) console.log(`${l.kind}\t${l.grid.code}\t${l.grid.name}`);
      }),
    );

  const members = party.command('members').description('Party members');
  members
    .command('list')
    .description('Members: id, name, ID number and phone (masked), branch, post, party grid, issues')
    .option('--region <code>', 'only members of this village')
    .option('--q <text>', 'part of a name')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action((options: { region?: string; q?: string; limit: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const query = parsed(partyMemberListQuerySchema, { ...options, offset: 0 });
        if (!query) return EXIT.usage;
        const page = await services.party.listMembers(actor, query);
        if (options.json) {
          console.log(JSON.stringify(page, null, 2));
          return;
        }
        for (const m of page.items) {
          console.log(
            `${m.id}\t${m.name}\t${m.idNumber}\t${m.phone ?? '—'}\t${m.branch.name}\t${m.post?.name ?? '—'}\t` +
              `${m.partyGrid?.name ?? '—'}\t${m.issues} issues`,
          );
        }
        console.log(`${page.items.length} of ${page.total} members.`);
      }),
    );
  members
    .command('import <file>')
    .description(
      'Import members from a JSON file: [{name, idNumber, phone?, branchCode, postCode?, joinedOn?}]; all or none',
    )
    .option('--dry-run', 'check only')
    .action((file: string, options: { dryRun?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const input = parsed(partyMemberImportSchema, {
          members: JSON.parse(readFileSync(file, 'utf8')),
          dryRun: options.dryRun ?? false,
        });
        if (!input) return EXIT.usage;
        try {
          const report = await services.party.importMembers(actor, input);
          console.log(JSON.stringify(report, null, 2));
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'IMPORT_REJECTED') throw error;
          console.error(JSON.stringify(error.details, null, 2));
          return EXIT.rejected;
        }
      }),
    );

  party
    .command('figures')
    .description('Members, posts (filled), issues reported and their outcomes per branch, party grid or post')
    .option('--by <group>', 'branch, grid or post', 'branch')
    .option('--region <code>', 'only this village')
    .option('--json', 'print JSON')
    .action((options: { by: string; region?: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const query = parsed(partyFiguresQuerySchema, options);
        if (!query) return EXIT.usage;
        const figures = await services.party.getFigures(actor, query);
        if (options.json) {
          console.log(JSON.stringify(figures, null, 2));
          return;
        }
        const line = (r: typeof figures.total) =>
          `${r.name}\t${r.members} members\t${r.postsFilled}/${r.posts} posts filled\t${r.issues} issues\t` +
          `${r.closed} closed\t${r.open} open\t${r.rejected} rejected`;
        for (const r of figures.rows) console.log(line(r));
        console.log(`TOTAL\t${line(figures.total)}${figures.synthetic ? '\t(演示数据 synthetic)' : ''}`);
      }),
    );
}
