import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerBulletinCommands } from './commands/bulletins.ts';
import { registerCaseCommands } from './commands/cases.ts';
import { registerEvaluationCommands } from './commands/evaluation.ts';
import { registerInspectionCommands } from './commands/inspections.ts';
import { registerOpen311Commands } from './commands/open311.ts';
import { registerPatrolCommands } from './commands/patrols.ts';
import { registerRegistryCommands } from './commands/registry.ts';
import { registerTerritoryCommands } from './commands/territory.ts';
import { registerWebhookCommands } from './commands/webhooks.ts';
import { EXIT } from './context.ts';

const program = new Command()
  .name('gridgov')
  .description(
    'gridgov command line: works on the database the server uses (DATABASE_URL, or the embedded one in ' +
      'GRIDGOV_DATA_DIR, default ./data). Stop the server first when it uses the embedded database.',
  )
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  });

registerAdminCommands(program);
registerBackupCommands(program);
registerBulletinCommands(program);
registerCaseCommands(program);
registerEvaluationCommands(program);
registerInspectionCommands(program);
registerOpen311Commands(program);
registerPatrolCommands(program);
registerRegistryCommands(program);
registerTerritoryCommands(program);
registerWebhookCommands(program);

await program.parseAsync(process.argv);
