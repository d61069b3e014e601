import type { Command } from 'commander';
import type { z } from 'zod';
import {
  figureQuerySchema,
  requestListQuerySchema,
  signInListQuerySchema,
  unitInputSchema,
  unitListQuerySchema,
  volunteerInputSchema,
} from '../../shared/volunteers.ts';
import { EXIT, withContext } from '../context.ts';

/** Parses options with the API's own schema; a wrong one is named, as the API names it, and exits 2. */
function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> | null {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
  return null;
}

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
const mark = (synthetic: boolean) => (synthetic ? '\t(演示数据 synthetic)' : '');

/** Volunteer service (志愿服务): member units, volunteers, communities' requests and the figures. */
export function registerVolunteerCommands(program: Command): void {
  const volunteer = program
    .command('volunteer')
    .description('Volunteer service (志愿服务): member units, volunteers, requests, person-times');

  volunteer
    .command('units')
    .description('Member units: id, name, kind, region, volunteers, party members, person-times')
    .option('--q <text>', 'name contains')
    .option('--limit <n>', 'at most this many', '200')
    .option('--json', 'print JSON')
    .action((options: { q?: string; limit: string; json?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const query = parsed(unitListQuerySchema, { q: options.q, pageSize: options.limit });
        if (!query) return EXIT.usage;
        const page = await services.volunteers.listUnits(actor, query);
        if (options.json) return print(page);
        for (const u of page.items) {
          console.log(
            `${u.id}\t${u.name}\t${u.kind}\t${u.regionName}\t${u.volunteers} volunteers\t` +
              `${u.partyMembers} party members\t${u.personTimes} person-times${mark(u.synthetic)}`,
          );
        }
        console.log(`${page.items.length} of ${page.total} units.`);
      }),
    );

  volunteer
    .command('add-unit')
    .description('Register a member unit of a region’s 大党委')
    .requiredOption('--name <name>', 'unit name')
    .requiredOption('--region <code>', 'the town (or village) code')
    .option('--kind <kind>', 'department | enterprise | institution | socialOrg | other', 'other')
    .action((options: { name: string; region: string; kind: string }) =>
      withContext(async ({ services, actor }) => {
        const input = parsed(unitInputSchema, {
          name: options.name,
          regionCode: options.region,
          kind: options.kind,
        });
        if (!input) return EXIT.usage;
        print(await services.volunteers.createUnit(actor, input));
      }),
    );

  volunteer
    .command('add')
    .description('Register a volunteer of a unit (phone and ID number are stored, shown masked)')
    .requiredOption('--unit <id>', 'unit id')
    .requiredOption('--name <name>', 'name')
    .requiredOption('--phone <phone>', 'mobile number')
    .option('--id-number <id>', 'resident ID number')
    .option('--party', 'a party member')
    .action((options: { unit: string; name: string; phone: string; idNumber?: string; party?: boolean }) =>
      withContext(async ({ services, actor }) => {
        const input = parsed(volunteerInputSchema, {
          name: options.name,
          phone: options.phone,
          idNumber: options.idNumber ?? null,
          partyMember: options.party === true,
        });
        if (!input) return EXIT.usage;
        print(await services.volunteers.addVolunteer(actor, Number(options.unit), input));
      }),
    );

  volunteer
    .command('requests')
    .description('Communities’ requests: id, day, community, task, filled/wanted, signed in')
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD')
    .option('--region <code>', 'only this community (or area)')
    .option('--open', 'only requests not yet filled')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(
      (options: {
        from?: string;
        to?: string;
        region?: string;
        open?: boolean;
        limit: string;
        json?: boolean;
      }) =>
        withContext(async ({ services, actor }) => {
          const query = parsed(requestListQuerySchema, {
            from: options.from,
            to: options.to,
            regionCode: options.region,
            open: options.open ? 'true' : undefined,
            pageSize: options.limit,
          });
          if (!query) return EXIT.usage;
          const page = await services.volunteers.listRequests(actor, query);
          if (options.json) return print(page);
          for (const r of page.items) {
            console.log(
              `${r.id}\t${r.day} ${r.startTime}–${r.endTime}\t${r.regionName}\t${r.title}\t` +
                `${r.filled}/${r.wanted} sent\t${r.signedIn} signed in${mark(r.synthetic)}`,
            );
          }
          console.log(`${page.items.length} of ${page.total} requests.`);
        }),
    );

  volunteer
    .command('figures')
    .description('Person-times (人次) and hours by unit, community or month')
    .option('--by <group>', 'unit | community | month', 'unit')
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD')
    .option('--unit <id>', 'only this unit')
    .option('--region <code>', 'only this community (or area)')
    .option('--month <YYYY-MM>', 'only this month')
    .option('--limit <n>', 'at most this many rows', '200')
    .option('--json', 'print JSON')
    .action((options: Record<string, string | boolean | undefined>) =>
      withContext(async ({ services, actor }) => {
        const query = parsed(figureQuerySchema, {
          by: options.by,
          from: options.from,
          to: options.to,
          unitId: options.unit,
          regionCode: options.region,
          month: options.month,
          limit: options.limit,
        });
        if (!query) return EXIT.usage;
        const figures = await services.volunteers.figures(actor, query);
        if (options.json) return print(figures);
        for (const r of figures.rows) {
          console.log(
            `${r.key}\t${r.name}\t${r.personTimes} person-times\t${r.partyMemberTimes} by party members\t` +
              `${r.volunteers} people\t${r.hours} h`,
          );
        }
        const t = figures.totals;
        console.log(
          `Total: ${t.personTimes} person-times, ${t.hours} h, ${t.volunteers} people, ${t.units} units.`,
        );
      }),
    );

  volunteer
    .command('sign-ins')
    .description('The sign-ins behind a figure, newest first (JSON)')
    .option('--unit <id>', 'only this unit')
    .option('--region <code>', 'only this community (or area)')
    .option('--month <YYYY-MM>', 'only this month')
    .option('--limit <n>', 'at most this many', '50')
    .action((options: { unit?: string; region?: string; month?: string; limit: string }) =>
      withContext(async ({ services, actor }) => {
        const query = parsed(signInListQuerySchema, {
          unitId: options.unit,
          regionCode: options.region,
          month: options.month,
          pageSize: options.limit,
        });
        if (!query) return EXIT.usage;
        print(await services.volunteers.listSignIns(actor, query));
      }),
    );
}
