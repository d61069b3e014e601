import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerBulletinCommands } from './commands/bulletins.ts';
import { registerCaseCommands } from './commands/cases.ts';
import { registerCheckpointCommands } from './commands/checkpoints.ts';
import { registerEvaluationCommands } from './commands/evaluation.ts';
import { registerFormCommands } from './commands/forms.ts';
import { registerHouseholdVisitCommands } from './commands/household-visits.ts';
import { registerInspectionCommands } from './commands/inspections.ts';
import { registerMediationCommands } from './commands/mediation.ts';
import { registerOpen311Commands } from './commands/open311.ts';
import { registerPartyCommands } from './commands/party.ts';
import { registerPatrolCommands } from './commands/patrols.ts';
import { registerRegistrationCommands } from './commands/registrations.ts';
import { registerRegistryCommands } from './commands/registry.ts';
import { registerTerritoryCommands } from './commands/territory.ts';
import { registerVolunteerCommands } from './commands/volunteers.ts';
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
registerFormCommands(program);
registerHouseholdVisitCommands(program);
registerInspectionCommands(program);
registerOpen311Commands(program);
registerPartyCommands(program);
registerPatrolCommands(program);
registerCheckpointCommands(program);
registerRegistrationCommands(program);
registerMediationCommands(program);
registerRegistryCommands(program);
registerTerritoryCommands(program);
registerVolunteerCommands(program);
registerWebhookCommands(program);

await program.parseAsync(process.argv);
