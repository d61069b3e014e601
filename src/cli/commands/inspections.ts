import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type {
  DocumentFormat,
  PrintedDocument,
} from '../../server/modules/inspections/inspection-documents.service.ts';
import { localize } from '../../shared/errors.ts';
import {
  CAMPAIGN_STATUS_LABELS,
  CAMPAIGN_STATUSES,
  TEMPLATE_STATUS_LABELS,
} from '../../shared/inspections.ts';
import { TASK_STATE_LABELS } from '../../shared/task-books.ts';
import { type CliContext, EXIT, withContext } from '../context.ts';

/** Inspections (测评、督查): checklist templates; task books (任务书) and their accountability lists. */
export function registerInspectionCommands(program: Command): void {
  const checklist = program
    .command('checklist')
    .description('Checklist templates (测评表): list, XLSX export and import');

  checklist
    .command('list')
    .description('The latest version of every template: id, code, version, status, items, points')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withContext(async ({ services, actor, locale }) => {
        const list = await services.inspections.checklists.listTemplates(actor, {});
        if (options.json) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        for (const t of list) {
          const versions = t.versions.map((v) => `v${v.version}#${v.id}`).join(' ');
          console.log(
            `${t.id}\t${t.code}\tv${t.version}\t${localize(TEMPLATE_STATUS_LABELS[t.status], locale)}\t` +
              `${t.itemCount} items\t${t.pointsTotal} points\t${t.name}\t(${versions})`,
          );
        }
        if (list.length === 0) console.log('No checklist templates.');
      }),
    );

  checklist
    .command('export')
    .description('Write one template version as XLSX, one row an item: edit it in Excel and import it back')
    .argument('<id>', 'id of the version (see `checklist list`)')
    .argument('<file>', 'the .xlsx file to write')
    .action((id: string, file: string) =>
      withContext(async ({ services, actor }) => {
        if (!/^\d+$/.test(id)) {
          console.error(`"${id}" is not a template id.`);
          return EXIT.usage;
        }
        const exported = await services.inspections.checklists.exportTemplate(actor, Number(id));
        await writeFile(file, exported.bytes);
        console.log(`Written ${file}.`);
      }),
    );

  checklist
    .command('import')
    .description(
      'Import an XLSX template: a new code becomes version 1, an existing code gets its next version (a draft). ' +
        'A file with any wrong row changes nothing; every such row is listed with its reasons (exit code 3).',
    )
    .argument('<file>', 'the .xlsx file')
    .option('--code <code>', 'template code, when the file has no 测评表编号 line')
    .option('--name <name>', 'template name, when the file has no 测评表名称 line')
    .option('--region <code>', 'region that keeps a new template (required for a new code)')
    .option('--activate', 'make the imported version the active one')
    .option('--dry-run', 'check the file only')
    .action(
      (
        file: string,
        options: { code?: string; name?: string; region?: string; activate?: boolean; dryRun?: boolean },
      ) =>
        withContext(async ({ services, actor }) => {
          const checklists = services.inspections.checklists;
          const result = await checklists.importTemplate(actor, {
            bytes: await readFile(file),
            fileName: basename(file),
            code: options.code,
            name: options.name,
            regionCode: options.region,
            dryRun: options.dryRun,
          });
          const what = result.newTemplate ? 'new template' : 'next version';
          if (!result.template) {
            console.log(
              `${file} is fine: ${result.items} items, as a ${what} of ${result.code} (${result.name}).`,
            );
            return;
          }
          let template = result.template;
          if (options.activate) {
            template = await checklists.activateTemplate(actor, template.id, template.rowVersion);
          }
          console.log(
            `Imported ${result.items} items as ${result.code} v${template.version} (id ${template.id}, ` +
              `${template.status}), a ${what}.`,
          );
        }),
    );

  registerTaskBookCommands(program);
  registerCampaignCommands(program);
}

/** The category of `--category`: a minor class code (06010) when one class has it, else an id. */
async function categoryIdOf(services: CliContext['services'], value: string): Promise<number | null> {
  const minors = (await services.categories.getCategoryTree()).flatMap((major) => major.children);
  const byCode = minors.filter((c) => c.code === value);
  if (byCode.length === 1 && byCode[0]) return byCode[0].id;
  return /^\d+$/.test(value) ? Number(value) : null;
}

function registerTaskBookCommands(program: Command): void {
  const taskbook = program
    .command('taskbook')
    .description('Task books (任务书): import, accountability list (问责清单)');

  taskbook
    .command('import')
    .description(
      'Issue a task book from an XLSX file, one row a task (序号, 任务内容, 责任单位, 所在区域, 责任人): each task ' +
        'becomes a case dispatched to its unit, due at the end of the deadline day. A file with any wrong row ' +
        'issues nothing; every such row is listed with its reasons (exit code 3).',
    )
    .argument('<file>', 'the .xlsx file')
    .requiredOption('--title <title>', 'title of the book')
    .requiredOption('--deadline <date>', 'the one deadline, YYYY-MM-DD (today or later)')
    .requiredOption('--category <code|id>', 'category of the cases: a minor class code (e.g. 06010) or id')
    .requiredOption('--region <code>', 'the area the book covers')
    .option('--campaign <id>', 'the campaign the book follows from')
    .option('--as <username>', "issue in this user's name, with their role and data scope")
    .action(
      (
        file: string,
        options: {
          title: string;
          deadline: string;
          category: string;
          region: string;
          campaign?: string;
          as?: string;
        },
      ) =>
        withContext(async ({ services, actor: system, locale }) => {
          const categoryId = await categoryIdOf(services, options.category);
          if (categoryId === null || (options.campaign !== undefined && !/^\d+$/.test(options.campaign))) {
            console.error('--category takes a minor class code or id, --campaign an id.');
            return EXIT.usage;
          }
          const actor = options.as ? await services.auth.actorByUsername(options.as, locale) : system;
          const book = await services.inspections.taskBooks.importTaskBook(
            actor,
            {
              title: options.title,
              deadline: options.deadline,
              categoryId,
              regionCode: options.region,
              ...(options.campaign ? { campaignId: Number(options.campaign) } : {}),
              fileName: basename(file),
            },
            await readFile(file),
          );
          console.log(
            `Issued ${book.number} (id ${book.id}): ${book.tasks.length} tasks, due ${book.deadline}.`,
          );
          for (const task of book.tasks) {
            console.log(
              `  ${task.position}\t${task.caseNumber ?? '—'}\t${task.departmentName}\t${task.responsibleName}`,
            );
          }
        }),
    );

  taskbook
    .command('accountability')
    .description('The accountability list (问责清单) of a book: its tasks unfinished at the deadline')
    .argument('<id>', 'id of the task book')
    .option('--xlsx <file>', 'also write the list as XLSX')
    .action((id: string, options: { xlsx?: string }) =>
      withContext(async ({ services, actor, locale }) => {
        if (!/^\d+$/.test(id)) {
          console.error(`"${id}" is not a task book id.`);
          return EXIT.usage;
        }
        const taskBooks = services.inspections.taskBooks;
        const { items } = await taskBooks.listAccountability(actor, { bookId: Number(id) });
        for (const e of items) {
          console.log(
            `${e.position}\t${e.departmentName}\t${e.responsibleName}\t${e.caseNumber ?? '—'}\t` +
              `${localize(TASK_STATE_LABELS[e.state], locale)}\t${e.daysOverdue} d\t${e.description}`,
          );
        }
        console.log(`${items.length} tasks unfinished at the deadline.`);
        if (options.xlsx) {
          await writeFile(
            options.xlsx,
            (await taskBooks.exportAccountability(actor, { bookId: Number(id) })).bytes,
          );
          console.log(`Written ${options.xlsx}.`);
        }
      }),
    );
}

function registerCampaignCommands(program: Command): void {
  const campaign = program
    .command('campaign')
    .description('Inspection campaigns (专项检查): list and results');

  campaign
    .command('list')
    .description('Campaigns, newest first: id, status, covert, period, area, targets, name')
    .option('--status <status>', 'draft, running or finished')
    .option('--json', 'print JSON')
    .action((options: { status?: string; json?: boolean }) =>
      withContext(async ({ services, actor, locale }) => {
        const status = CAMPAIGN_STATUSES.find((s) => s === options.status);
        if (options.status && !status) {
          console.error(`--status is one of ${CAMPAIGN_STATUSES.join(', ')}.`);
          return EXIT.usage;
        }
        const page = await services.inspections.campaigns.listCampaigns(actor, {
          status,
          covert: undefined,
          page: 1,
          pageSize: 200,
        });
        if (options.json) {
          console.log(JSON.stringify(page.items, null, 2));
          return;
        }
        for (const c of page.items) {
          console.log(
            `${c.id}\t${localize(CAMPAIGN_STATUS_LABELS[c.status], locale)}\t${c.covert ? '暗访' : '公开'}\t` +
              `${c.startsOn}…${c.endsOn}\t${c.regionName}\t${c.sampledCount}/${c.targetCount} targets\t${c.name}`,
          );
        }
        console.log(`${page.total} campaigns.`);
      }),
    );

  campaign
    .command('results')
    .description(
      "A campaign's results: score rate per target (vetoed ones 0, raw beside), items, rectification",
    )
    .argument('<id>', 'campaign id')
    .option('--xlsx <file>', 'also write the results as XLSX')
    .option('--json', 'print JSON')
    .action((id: string, options: { xlsx?: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        if (!/^\d+$/.test(id)) {
          console.error(`"${id}" is not a campaign id.`);
          return EXIT.usage;
        }
        const results = services.inspections.campaignResults;
        const r = await results.getResults(actor, Number(id));
        if (options.json) console.log(JSON.stringify(r, null, 2));
        else {
          const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} %`);
          for (const t of r.targets) {
            const veto = t.vetoedBy ? `\tvetoed by ${t.vetoedBy.key} (raw ${pct(t.rawRate)})` : '';
            console.log(`${t.targetId}\t${pct(t.rate)}\t${t.name}${veto}`);
          }
          for (const i of r.items.filter((item) => item.failed > 0))
            console.log(
              `item ${i.key}\t${i.failed}/${i.applicable} failed (${pct(i.failureRate)})\t${i.question}`,
            );
          const p = r.rectification;
          console.log(
            `${r.overall.visited}/${r.overall.targets} targets visited, average ${pct(r.overall.averageRate)}, ` +
              `${r.overall.vetoed} vetoed; rectification: ${p.open.count + p.openOverdue.count} open ` +
              `(${p.openOverdue.count} overdue), ${p.doneOnTime.count} done on time, ${p.doneLate.count} late.`,
          );
        }
        if (options.xlsx) {
          await writeFile(options.xlsx, (await results.resultsWorkbook(actor, Number(id))).bytes);
          console.log(`Written ${options.xlsx}.`);
        }
      }),
    );

  campaign
    .command('report')
    .description(
      "Print a campaign's report (专项检查情况报告) as PDF or Word, by the file's extension; numbered when first printed",
    )
    .argument('<id>', 'campaign id')
    .argument('<file>', 'the .pdf or .docx file to write')
    .action((id: string, file: string) =>
      printDocument('campaign', id, file, (ctx, format) =>
        ctx.services.inspections.documents.campaignReport(ctx.actor, Number(id), format),
      ),
    );

  program
    .command('visit')
    .description('Visits (检查记录) of inspection campaigns')
    .command('opinion')
    .description("Print a visit's inspection opinion (检查意见书) as PDF or Word, by the file's extension")
    .argument('<id>', 'visit id')
    .argument('<file>', 'the .pdf or .docx file to write')
    .action((id: string, file: string) =>
      printDocument('visit', id, file, (ctx, format) =>
        ctx.services.inspections.documents.opinion(ctx.actor, Number(id), format),
      ),
    );
}

/** Writes a printed document to `file`, its format taken from the extension. */
function printDocument(
  entity: 'campaign' | 'visit',
  id: string,
  file: string,
  print: (ctx: CliContext, format: DocumentFormat) => Promise<PrintedDocument>,
) {
  return withContext(async (ctx) => {
    if (!/^\d+$/.test(id)) {
      console.error(`"${id}" is not a ${entity} id.`);
      return EXIT.usage;
    }
    const format = /\.(pdf|docx)$/i.exec(file)?.[1]?.toLowerCase() as DocumentFormat | undefined;
    if (!format) {
      console.error(`"${file}" should end in .pdf or .docx.`);
      return EXIT.usage;
    }
    const printed = await print(ctx, format);
    await writeFile(file, printed.bytes);
    console.log(`Written ${file} (${printed.fileName}).`);
  });
}
