import { idNumberCheckChar } from '../../../shared/registry-validation.ts';
import { createUser, TERRITORY } from '../../testing/factories.ts';
import type { TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

/** Test helpers of the volunteer service: units with volunteers, and 河清's records for the scope walk. */

let phoneSequence = 0;
/** A distinct, valid mobile number. */
export function testPhone(): string {
  phoneSequence++;
  return `137${String(phoneSequence).padStart(8, '0')}`;
}

/** A unit of `regionCode` with `count` volunteers (the first `partyMembers` of them party members). */
export async function seedUnit(
  ctx: TestContext,
  options: {
    name: string;
    regionCode?: string;
    count: number;
    partyMembers?: number;
    volunteerName?: string;
  },
) {
  const system = systemActor();
  const unit = await ctx.services.volunteers.createUnit(system, {
    name: options.name,
    kind: 'department',
    regionCode: options.regionCode ?? TERRITORY.town,
  });
  const volunteers = [];
  for (let i = 0; i < options.count; i++) {
    volunteers.push(
      await ctx.services.volunteers.addVolunteer(system, unit.id, {
        name: `${options.volunteerName ?? options.name}志愿者${i + 1}`,
        phone: testPhone(),
        partyMember: i < (options.partyMembers ?? 0),
      }),
    );
  }
  return { unit, volunteers };
}

/** A unit contact account looking after the unit. */
export async function seedUnitContact(ctx: TestContext, unitId: number) {
  const contact = await createUser(ctx, { role: 'unitContact', regionCode: TERRITORY.town });
  await ctx.services.volunteers.addUnitContact(systemActor(), unitId, contact.id);
  return contact;
}

const SECRET_ID_FIRST17 = '44060519800101523';

/** Marker strings of 河清's volunteer records: an answer to another village's user holding one has leaked. */
export const VOLUNTEER_MARKERS = {
  unit: '河清秘密共建单位',
  volunteer: '河清志愿者甄秘',
  volunteerPhone: '13700009999',
  volunteerId: `${SECRET_ID_FIRST17}${idNumberCheckChar(SECRET_ID_FIRST17)}`,
  request: '河清秘密志愿任务',
} as const;

/**
 * 河清's volunteer records for the all-routes scope walk (src/server/security/route-scope.test.ts): a unit of
 * 河清 with a volunteer (phone and ID number), a request of 河清 that the volunteer was sent to and signed in at.
 * Returns the ids keyed by the path segment that names them.
 */
export async function seedVolunteerScopeRecords(ctx: TestContext): Promise<Record<string, string>> {
  const system = systemActor();
  const service = ctx.services.volunteers;
  const unit = await service.createUnit(system, {
    name: VOLUNTEER_MARKERS.unit,
    kind: 'socialOrg',
    regionCode: TERRITORY.heqing,
  });
  const volunteer = await service.addVolunteer(system, unit.id, {
    name: VOLUNTEER_MARKERS.volunteer,
    phone: VOLUNTEER_MARKERS.volunteerPhone,
    idNumber: VOLUNTEER_MARKERS.volunteerId,
    partyMember: true,
  });
  const request = await service.createRequest(system, {
    regionCode: TERRITORY.heqing,
    kind: 'doorToDoor',
    title: VOLUNTEER_MARKERS.request,
    place: `${VOLUNTEER_MARKERS.request}地点`,
    day: '2026-11-23',
    startTime: '09:00',
    endTime: '12:00',
    wanted: 5,
    note: '',
  });
  const sent = await service.sendVolunteers(system, request.id, {
    unitId: unit.id,
    volunteerIds: [volunteer.id],
  });
  const assignmentId = sent.assignments[0]?.id ?? 0;
  await service.signIn(system, assignmentId);
  return {
    'volunteer-units': String(unit.id),
    volunteers: String(volunteer.id),
    'volunteer-requests': String(request.id),
    'volunteer-assignments': String(assignmentId),
  };
}
