import type { Command } from 'commander';
import { localize } from '../../shared/errors.ts';
import {
  EVALUATION_SOURCES,
  type EvaluationSource,
  INDICATORS,
  type IndicatorKey,
  UNIT_KINDS,
  type UnitKind,
} from '../../shared/indicators.ts';
import { type CliContext, EXIT, withContext } from '../context.ts';

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

/** Evaluation (考核): rankings from the kept counts, and the rebuild that checks them. */
export function registerEvaluationCommands(program: Command): void {
  const evaluation = program
    .command('evaluation')
    .description('Indicators, rankings (排名) and their counts');

  evaluation
    .command('ranking')
    .description(
      'Rank villages, grids, departments or workers by the composite score over a period (default: last month)',
    )
    .option('--unit <unit>', `one of ${UNIT_KINDS.join(', ')}`, 'village')
    .option('--source <source>', `only the cases of one source: ${EVALUATION_SOURCES.join(', ')}`)
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD')
    .option('--json', 'print JSON')
    .action((options: { unit: string; source?: string; from?: string; to?: string; json?: boolean }) =>
      withContext(async ({ services, actor, locale }: CliContext) => {
        if (!(UNIT_KINDS as readonly string[]).includes(options.unit)) {
          console.error(`--unit must be one of ${UNIT_KINDS.join(', ')}.`);
          return EXIT.usage;
        }
        if (options.source && !(EVALUATION_SOURCES as readonly string[]).includes(options.source)) {
          console.error(`--source must be one of ${EVALUATION_SOURCES.join(', ')}.`);
          return EXIT.usage;
        }
        const ranking = await services.rankings.getRanking(actor, {
          unit: options.unit as UnitKind,
          from: options.from,
          to: options.to,
          source: options.source as EvaluationSource | undefined,
          sortBy: 'composite',
        });
        if (options.json) {
          console.log(JSON.stringify(ranking, null, 2));
          return;
        }
        const rates: IndicatorKey[] = [
          'handlingRate',
          'onTimeHandlingRate',
          'reworkRate',
          'overduePendingRate',
          'extensionRate',
        ];
        console.log(
          `${ranking.scope.name} ${ranking.from} – ${ranking.to} (scheme v${ranking.scheme.version})`,
        );
        console.log(
          [
            '#',
            'name',
            'composite',
            ...rates.map((k) => localize(INDICATORS[k].label, locale)),
            'patrol coverage',
            'inspection score',
          ].join('\t'),
        );
        for (const row of ranking.rows) {
          console.log(
            [
              row.rank ?? '—',
              row.name,
              row.composite === null ? '—' : row.composite.toFixed(2),
              ...rates.map((k) => percent(row.figures[k])),
              percent(row.patrolCoverage),
              percent(row.inspectionScoreRate),
            ].join('\t'),
          );
        }
      }),
    );

  evaluation
    .command('rebuild')
    .description(
      "Recompute every case's facts from its timeline and the counts from the facts; report differences",
    )
    .action(() =>
      withContext(async ({ services }: CliContext) => {
        const result = await services.caseFacts.rebuild();
        console.log(`Recomputed ${result.cases} cases; ${result.buckets} count rows.`);
        if (result.factsDiffering.length)
          console.log(
            `Facts that differed: ${result.factsDiffering.length} cases (first: ${result.factsDiffering.slice(0, 10).join(', ')}).`,
          );
        for (const d of result.differences)
          console.log(
            `Differed: ${d.granularity} ${d.bucket} ${d.column}: kept ${d.kept}, rebuilt ${d.rebuilt}`,
          );
        if (!result.factsDiffering.length && !result.differences.length) console.log('No differences.');
        return result.differences.length || result.factsDiffering.length ? EXIT.failed : undefined;
      }),
    );
}
