import { maskIdNumber, maskPhone } from '../../../shared/registry-validation.ts';
import type {
  Assignment,
  RequestKind,
  Unit,
  UnitKind,
  Volunteer,
  VolunteerRequest,
} from '../../../shared/volunteers.ts';
import type {
  AssignmentView,
  RequestView,
  SignInView,
  UnitView,
  VolunteerView,
} from './volunteer.repository.ts';

/*
 * The API shapes of the volunteer service. Phones and ID numbers are always masked here: a clear value is only
 * ever the answer of an audited reveal (volunteer.service.ts).
 */

export function presentUnit(row: UnitView): Unit {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as UnitKind,
    regionCode: row.region_code,
    regionName: row.region_name,
    contactName: row.contact_name,
    contactPhone: row.contact_phone ? maskPhone(row.contact_phone) : null,
    volunteers: row.volunteer_count,
    partyMembers: row.party_count,
    personTimes: row.person_times,
    synthetic: row.synthetic,
  };
}

export function presentVolunteer(row: VolunteerView): Volunteer {
  return {
    id: row.id,
    unitId: row.unit_id,
    unitName: row.unit_name,
    name: row.name,
    phone: maskPhone(row.phone),
    idNumber: row.id_number ? maskIdNumber(row.id_number) : null,
    partyMember: row.party_member,
    partyMemberId: row.party_member_id,
    hasAccount: row.user_id !== null,
    personTimes: row.person_times,
    synthetic: row.synthetic,
  };
}

export function presentRequest(row: RequestView): VolunteerRequest {
  return {
    id: row.id,
    regionCode: row.region_code,
    regionName: row.region_name,
    kind: row.kind as RequestKind,
    title: row.title,
    place: row.place,
    day: civilDay(row.day),
    startTime: row.start_time,
    endTime: row.end_time,
    wanted: row.wanted,
    filled: row.filled,
    signedIn: row.signed_in,
    note: row.note,
    cancelled: row.cancelled,
    visitCampaignId: row.visit_campaign_id,
    checkpointId: row.checkpoint_id,
    synthetic: row.synthetic,
  };
}

export function presentAssignment(row: AssignmentView): Assignment {
  return {
    id: row.id,
    requestId: row.request_id,
    unitId: row.unit_id,
    unitName: row.unit_name,
    volunteerId: row.volunteer_id,
    volunteerName: row.volunteer_name,
    phone: maskPhone(row.phone),
    partyMember: row.party_member,
    signedInAt: row.signed_in_at?.toISOString() ?? null,
    signedOutAt: row.signed_out_at?.toISOString() ?? null,
  };
}

export function presentSignIn(row: SignInView) {
  const hours =
    row.signed_in_at && row.signed_out_at
      ? Math.round((row.signed_out_at.getTime() - row.signed_in_at.getTime()) / 360_000) / 10
      : null;
  return {
    ...presentAssignment(row),
    day: civilDay(row.day),
    requestTitle: row.title,
    kind: row.kind as RequestKind,
    regionCode: row.region_code,
    regionName: row.region_name,
    hours,
  };
}

/** A `date` column as YYYY-MM-DD, whichever way the driver hands it over. */
export function civilDay(value: string | Date): string {
  if (value instanceof Date) {
    const local = new Date(value.getTime() - value.getTimezoneOffset() * 60_000);
    return local.toISOString().slice(0, 10);
  }
  return String(value).slice(0, 10);
}
