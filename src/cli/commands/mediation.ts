import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { z } from 'zod';
import {
  DISPUTE_TYPE_LABELS,
  type FigureRow,
  figuresQuerySchema,
  MEDIATION_STATE_LABELS,
  mediationListQuerySchema,
} from '../../shared/mediation.ts';
import { EXIT, withContext } from '../context.ts';

/** Parses options with the API's own schema; a wrong one is named, as the API names it, and exits 2. */
function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> | null {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
  return null;
}

const rate = (value: number | null) => (value === null ? '—' : `${value.toFixed(2)}%`);
const row = (r: FigureRow) =>
  `${r.label}\t${r.handled}\t${r.settled}\t${rate(r.settlementRate)}\t${rate(r.onTimeRate)}\t` +
  `${rate(r.followUpRate)}\t${rate(r.performanceRate)}`;
const HEADER = 'unit\thandled\tsettled\tsettlement\ton time\tfollow-up\tperformance';

/** Dispute mediation (矛盾纠纷调解): the register, the figures, and the agreement documents. */
export function registerMediationCommands(program: Command): void {
  const mediation = program
    .command('mediation')
    .description('Dispute mediation (矛盾纠纷调解): list, figures, agreement export');

  mediation
    .command('list')
    .description('Mediations newest first: id, number, village, type, state, limit (red past it), mediator')
    .option('--region <code>', 'only this region')
    .option('--state <state>', 'open | settled | unsettled')
    .option('--task <task>', 'overdue | followUp | confirmation')
    .option('--month <month>', 'closed in this month, YYYY-MM')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(
      (options: {
        region?: string;
        state?: string;
        task?: string;
        month?: string;
        limit: string;
        json?: boolean;
      }) =>
        withContext(async ({ services, actor }) => {
          const query = parsed(mediationListQuerySchema, {
            regionCode: options.region,
            state: options.state,
            task: options.task,
            month: options.month,
            limit: options.limit,
          });
          if (!query) return EXIT.usage;
          const page = await services.mediation.service.listMediations(actor, query);
          if (options.json) {
            console.log(JSON.stringify(page, null, 2));
            return;
          }
          for (const m of page.items) {
            const light = m.light === 'red' ? '\t红灯 overdue' : '';
            console.log(
              `${m.id}\t${m.number}\t${m.regionName}\t${DISPUTE_TYPE_LABELS[m.disputeType].zh}\t` +
                `${MEDIATION_STATE_LABELS[m.state].zh}\tdue ${m.dueAt.slice(0, 10)}\t${m.mediatorName ?? '—'}` +
                `${light}${m.synthetic ? '\t(演示数据 synthetic)' : ''}`,
            );
          }
          console.log(`${page.items.length} of ${page.total} mediations.`);
        }),
    );

  mediation
    .command('figures')
    .description(
      'Handled, settled and the rates (settlement, on time, follow-up, performance) by village, mediator, month',
    )
    .option('--from <date>', 'first closing day, YYYY-MM-DD (default: a year back)')
    .option('--to <date>', 'last closing day, YYYY-MM-DD (default: today)')
    .option('--region <code>', 'only this region')
    .option('--by <group>', 'village | mediator | month', 'village')
    .option('--json', 'print JSON')
    .action((options: { from?: string; to?: string; region?: string; by: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const query = parsed(figuresQuerySchema, {
          from: options.from,
          to: options.to,
          regionCode: options.region,
        });
        if (!query) return EXIT.usage;
        const groups = { village: 'byVillage', mediator: 'byMediator', month: 'byMonth' } as const;
        const group = groups[options.by as keyof typeof groups];
        if (!group) {
          console.error('--by: village, mediator or month');
          return EXIT.usage;
        }
        const figures = await services.mediation.figures(actor, query);
        if (options.json) {
          console.log(JSON.stringify(figures, null, 2));
          return;
        }
        console.log(
          `${figures.from} – ${figures.to}; open ${figures.open}, of which overdue ${figures.overdue}`,
        );
        console.log(HEADER);
        for (const r of figures[group]) console.log(row(r));
        console.log(row(figures.total));
      }),
    );

  mediation
    .command('agreement <id>')
    .description('Write the mediation agreement (人民调解协议书) of a settled mediation as PDF or Word')
    .option('--format <format>', 'pdf | docx', 'pdf')
    .option('--out <file>', 'the file to write (default: its Chinese name in this directory)')
    .action((id: string, options: { format: string; out?: string }) =>
      withContext(async ({ services, actor }) => {
        const mediationId = Number(id);
        if (!Number.isInteger(mediationId) || mediationId < 1) {
          console.error('<id>: a mediation id');
          return EXIT.usage;
        }
        if (options.format !== 'pdf' && options.format !== 'docx') {
          console.error('--format: pdf or docx');
          return EXIT.usage;
        }
        const file = await services.mediation.documents.agreement(actor, mediationId, options.format);
        const path = options.out ?? file.fileName;
        writeFileSync(path, file.bytes);
        console.log(`${path}\t${file.bytes.length} bytes`);
      }),
    );
}
