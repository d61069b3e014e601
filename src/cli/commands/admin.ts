import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, loadDemoTown } from '../../server/db/seed/demo-town.ts';
import { sealAuditChain, verifyAuditChain } from '../../server/modules/audit/audit.service.ts';
import { ROLES, type Role } from '../../shared/roles.ts';
import { EXIT, withContext } from '../context.ts';

const DEMO_STEPS = ['divisions', 'grids', 'people', 'categories'];

export function registerAdminCommands(program: Command): void {
  program
    .command('migrate')
    .description('Bring the database schema to the latest version')
    .action(() =>
      withContext(async ({ database }) => {
        // withContext has migrated already; running again reports that nothing is left to do.
        const { applied } = await migrateToLatest(database.db);
        console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The schema is up to date.');
      }),
    );

  program
    .command('seed-demo')
    .description('Load the demo town 九江镇 into an empty database')
    .action(() =>
      withContext(async ({ database, services }) => {
        const bar = new SingleBar({ format: 'Loading the demo town [{bar}] {value}/{total} {step}' });
        bar.start(DEMO_STEPS.length, 0, { step: '' });
        const report = await loadDemoTown(database.db, services, (step) =>
          bar.update(DEMO_STEPS.indexOf(step), { step }),
        );
        bar.update(DEMO_STEPS.length, { step: 'done' });
        bar.stop();
        if (!report.loaded) {
          console.log('The database already holds regions; the demo town was not loaded.');
          return EXIT.rejected;
        }
        console.log(
          `Loaded in ${(report.ms / 1000).toFixed(1)} s. Logins (password ${DEMO_PASSWORD}): ${DEMO_LOGINS.map((l) => l.username).join(', ')}`,
        );
      }),
    );

  program
    .command('create-user')
    .description('Create a user')
    .requiredOption('--username <name>', 'login name')
    .requiredOption('--name <display>', 'display name')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--region <code>', 'region code of the data scope')
    .option('--phone <phone>', 'mobile number')
    .option(
      '--password <password>',
      'password (or set GRIDGOV_PASSWORD); without one the person cannot log in',
    )
    .action(
      (options: {
        username: string;
        name: string;
        role: string;
        region: string;
        phone?: string;
        password?: string;
      }) =>
        withContext(async ({ services, actor }) => {
          if (!(ROLES as readonly string[]).includes(options.role)) {
            console.error(`Unknown role "${options.role}". Use one of: ${ROLES.join(', ')}.`);
            return EXIT.usage;
          }
          const user = await services.people.createUser(actor, {
            username: options.username,
            displayName: options.name,
            role: options.role as Role,
            regionCode: options.region,
            phone: options.phone ?? null,
            password: options.password ?? process.env.GRIDGOV_PASSWORD,
          });
          console.log(`Created user ${user.username} (id ${user.id}), ${user.role} of ${user.regionName}.`);
        }),
    );

  program
    .command('reset-password')
    .description('Set a new password for a user and end their sessions')
    .argument('<username>', 'login name')
    .option('--password <password>', 'new password (or set GRIDGOV_PASSWORD)')
    .action((username: string, options: { password?: string }) =>
      withContext(async ({ services, actor }) => {
        const password = options.password ?? process.env.GRIDGOV_PASSWORD;
        if (!password) {
          console.error(
            'Give the new password with --password or the GRIDGOV_PASSWORD environment variable.',
          );
          return EXIT.usage;
        }
        const { items } = await services.people.listUsers(actor, { q: username, page: 1, pageSize: 50 });
        const user = items.find((u) => u.username.toLowerCase() === username.toLowerCase());
        if (!user) {
          console.error(`No user named "${username}".`);
          return EXIT.failed;
        }
        await services.people.resetPassword(actor, user.id, password);
        console.log(`Password of ${user.username} reset; their sessions were ended.`);
      }),
    );

  const audit = program.command('audit').description('The hash-chained audit log');
  audit
    .command('verify')
    .description('Check the hash chain; names the first entry that was edited, deleted or reordered (exit 3)')
    .action(() =>
      withContext(async ({ database }) => {
        // Link what the server appended since its last sealing, so the whole log is checked.
        await sealAuditChain(database.db);
        const total = await database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const bar = new SingleBar({ format: 'Verifying [{bar}] {value}/{total} entries' });
        bar.start(total.n, 0);
        const result = await verifyAuditChain(database.db, (checked) => bar.update(checked));
        bar.stop();
        if (result.ok) {
          console.log(
            `Audit log intact: ${result.entries} entries verified` +
              (result.unsealed ? ` (${result.unsealed} appended during the check wait for sealing).` : '.'),
          );
          return EXIT.ok;
        }
        const what = result.reason === 'edited' ? 'was edited' : 'follows a deleted or reordered entry';
        console.error(
          `Audit log broken: entry ${result.brokenId} ${what} (${result.entries} entries before it are intact).`,
        );
        return EXIT.rejected;
      }),
    );
}
