import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { formCodeSchema } from '../../shared/forms.ts';
import { EXIT, withContext } from '../context.ts';

/** Form definitions (表单): list, show as JSON, import an XLSForm, publish. */
export function registerFormCommands(program: Command): void {
  const forms = program
    .command('forms')
    .description('Form definitions (表单): list, show, XLSForm import, publish');

  forms
    .command('list')
    .description('Forms: id, code, title, questions, newest version, published version')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const list = await services.forms.listForms(actor, {});
        if (options.json) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        for (const f of list) {
          const published = f.publishedVersion === null ? 'unpublished' : `published v${f.publishedVersion}`;
          console.log(
            `${f.id}\t${f.code}\t${f.title.zh}\t${f.questionCount} questions\tv${f.latestVersion}\t${published}` +
              `${f.synthetic ? '\t(演示数据 synthetic)' : ''}`,
          );
        }
      }),
    );

  forms
    .command('show')
    .argument('<code>', "the form's code")
    .description(
      "The form's newest version (draft or published) as JSON: its questions, as the API gives them",
    )
    .action((code: string) =>
      withContext(async ({ services, actor }) => {
        const found = (await services.forms.listForms(actor, {})).find((f) => f.code === code);
        if (!found) {
          console.error(`no form with code ${code}`);
          return EXIT.failed;
        }
        console.log(JSON.stringify((await services.forms.getForm(actor, found.id)).current, null, 2));
      }),
    );

  forms
    .command('import')
    .argument('<file>', 'an XLSForm workbook (.xlsx) with survey, choices and settings sheets')
    .description(
      'Import an XLSForm as a new form, or as the next draft version of the form with its code. Any row outside ' +
        'the supported subset (docs/forms.md) rejects the file: every row is printed with its reason, exit 3',
    )
    .option('--code <code>', "the form's code (default: form_id of the settings sheet)")
    .option('--region <code>', 'the owner region of a new form (required for a new form)')
    .option('--dry-run', 'check the file only')
    .option('--publish', 'publish the imported version at once')
    .action(
      (file: string, options: { code?: string; region?: string; dryRun?: boolean; publish?: boolean }) =>
        withContext(async ({ services, actor }) => {
          if (options.code && !formCodeSchema.safeParse(options.code).success) {
            console.error(`--code: 2–40 letters, digits, _ or -`);
            return EXIT.usage;
          }
          const result = await services.forms.importXlsform(actor, {
            bytes: await readFile(file),
            fileName: basename(file),
            code: options.code,
            regionCode: options.region,
            dryRun: options.dryRun,
          });
          const what = result.newForm ? 'a new form' : 'the next version';
          if (!result.form) {
            console.log(`${file} is fine: ${result.questions} questions, as ${what} of ${result.code}.`);
            return;
          }
          let form = result.form;
          if (options.publish) form = await services.forms.publishForm(actor, form.id, form.rowVersion);
          console.log(
            `Imported ${result.questions} questions as ${result.code} v${form.latestVersion} (id ${form.id}, ` +
              `${form.publishedVersion === form.latestVersion ? 'published' : 'draft'}), ${what}.`,
          );
        }),
    );

  forms
    .command('publish')
    .argument('<code>', "the form's code")
    .description('Publish the draft: it never changes again')
    .action((code: string) =>
      withContext(async ({ services, actor }) => {
        const found = (await services.forms.listForms(actor, {})).find((f) => f.code === code);
        if (!found) {
          console.error(`no form with code ${code}`);
          return EXIT.failed;
        }
        const form = await services.forms.publishForm(actor, found.id, found.rowVersion);
        console.log(`Published ${code} v${form.publishedVersion}.`);
      }),
    );
}
