import type { Command } from 'commander';
import type { z } from 'zod';
import { gridDayQuerySchema, patrolListQuerySchema } from '../../shared/patrols.ts';
import { EXIT, withContext } from '../context.ts';

/** Parses options with the API's own schema; a wrong one is named, as the API names it, and exits 2. */
function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> | null {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
  return null;
}

const shanghaiToday = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
const percent = (share: number) => `${(share * 100).toFixed(2)}%`;
const km = (metres: number) => `${(metres / 1000).toFixed(2)} km`;
const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;

/** Daily patrols (日巡查): the patrol log and the per-grid, per-day coverage, as tables or JSON. */
export function registerPatrolCommands(program: Command): void {
  const patrol = program
    .command('patrol')
    .description('Daily patrols (日巡查): the log and coverage per grid and day');

  patrol
    .command('list')
    .description(
      'Patrols newest first: id, worker, day, start–end, time, distance, grids with coverage, problems',
    )
    .option('--from <date>', 'first day, YYYY-MM-DD (Asia/Shanghai)', shanghaiToday(-6))
    .option('--to <date>', 'last day, YYYY-MM-DD', shanghaiToday())
    .option('--worker <id>', 'only this grid worker (user id)')
    .option('--region <code>', 'only patrols in this region or grid')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(
      (options: {
        from: string;
        to: string;
        worker?: string;
        region?: string;
        limit: string;
        json?: boolean;
      }) =>
        withContext(async ({ services, actor }) => {
          const query = parsed(patrolListQuerySchema, {
            from: options.from,
            to: options.to,
            userId: options.worker,
            region: options.region,
            limit: options.limit,
          });
          if (!query) return EXIT.usage;
          const page = await services.patrols.listPatrols(actor, query);
          if (options.json) {
            console.log(JSON.stringify(page, null, 2));
            return;
          }
          for (const p of page.items) {
            const span = `${p.startedAt.slice(11, 16)}–${p.endedAt?.slice(11, 16) ?? '…'} UTC`;
            const grids = p.grids.map((g) => `${g.name} ${percent(g.coverage)}`).join(', ');
            console.log(
              `${p.id}\t${p.userName}\t${p.day}\t${span}\t${minutes(p.durationS)}\t${km(p.distanceM)}\t` +
                `${p.problems} problems\t${grids}${p.synthetic ? '\t(演示数据 synthetic)' : ''}`,
            );
          }
          console.log(`${page.items.length} of ${page.total} patrols.`);
        }),
    );

  patrol
    .command('coverage')
    .description(
      'Per leaf grid with a grid worker and day: patrolled or not, time, distance, coverage, problems',
    )
    .option('--from <date>', 'first day, YYYY-MM-DD (Asia/Shanghai)', shanghaiToday(-6))
    .option('--to <date>', 'last day, YYYY-MM-DD', shanghaiToday())
    .option('--region <code>', 'only grids under this region')
    .option('--missed', 'only grid-days not patrolled')
    .option('--json', 'print JSON')
    .action((options: { from: string; to: string; region?: string; missed?: boolean; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const query = parsed(gridDayQuerySchema, {
          from: options.from,
          to: options.to,
          region: options.region,
        });
        if (!query) return EXIT.usage;
        const table = await services.patrols.gridDays(actor, query);
        const rows = options.missed ? table.items.filter((r) => !r.patrolled) : table.items;
        if (options.json) {
          console.log(JSON.stringify({ ...table, items: rows }, null, 2));
          return;
        }
        console.log(
          ['day', 'grid', 'village', 'workers', 'patrolled', 'time', 'distance', 'coverage', 'problems'].join(
            '\t',
          ),
        );
        for (const r of rows) {
          console.log(
            [
              r.day,
              `${r.gridName} (${r.gridCode})`,
              r.villageName,
              r.workers.join('、'),
              r.patrolled ? 'yes' : 'NO',
              r.patrolled ? minutes(r.durationS) : '-',
              r.patrolled ? km(r.distanceM) : '-',
              r.patrolled ? percent(r.coverage) : '-',
              r.problems,
            ].join('\t'),
          );
        }
        const done = table.items.filter((r) => r.patrolled).length;
        console.log(
          `${done} of ${table.items.length} grid-days patrolled (${table.items.length ? percent(done / table.items.length) : '-'}), ` +
            `coverage within ${table.coverageMetres} m of the tracks.`,
        );
      }),
    );
}
