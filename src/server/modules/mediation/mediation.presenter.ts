import {
  type MediationDetail,
  type MediationSummary,
  type PartyField,
  partyVisibilityOf,
} from '../../../shared/mediation.ts';
import { maskIdNumber, maskPhone } from '../../../shared/registry-validation.ts';
import type { Actor } from '../people/actor.ts';
import type { MediationListRow } from './mediation.repository.ts';
import type { MediationAgreementRow, MediationPartyRow } from './mediation.table.ts';

/** 张三 → 张*, 欧阳小明 → 欧***: the family name stays, so a record can still be told apart. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** The first six characters (the town and road, as a rule) and no house number. */
export function maskAddress(address: string): string {
  const chars = [...address];
  return chars.length <= 6 ? '****' : `${chars.slice(0, 6).join('')}****`;
}

const iso = (at: Date | null) => (at ? at.toISOString() : null);

export function presentSummary(row: MediationListRow, now: Date): MediationSummary {
  return {
    id: row.id,
    number: row.number,
    caseId: row.case_id === null ? null : Number(row.case_id),
    caseNumber: row.case_number,
    regionCode: row.region_code,
    regionName: row.region_name ?? row.region_code,
    disputeType: row.dispute_type,
    source: row.source,
    procedure: row.procedure,
    state: row.state,
    mediatorId: row.mediator_id,
    mediatorName: row.mediator_name,
    acceptedAt: row.accepted_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    closedAt: iso(row.closed_at),
    light: row.state !== 'open' ? 'none' : row.due_at < now ? 'red' : 'green',
    escalated: row.escalated_at !== null,
    followUpDueOn: row.follow_up_due_on,
    followUpDoneAt: iso(row.follow_up_done_at),
    confirmationDueOn: row.confirmation_due_on,
    synthetic: row.synthetic,
    version: row.version,
  };
}

/** A party as the actor's role sees it (PARTY_VISIBILITY): names and data masked unless the role needs them. */
export function presentParty(actor: Actor, party: MediationPartyRow): MediationDetail['parties'][number] {
  const seen = actor.system
    ? { name: 'clear', idNumber: 'clear', phone: 'clear', address: 'clear' }
    : partyVisibilityOf(actor.role);
  const revealable: PartyField[] = [];
  const field = (
    value: string | null,
    visibility: string,
    mask: (v: string) => string,
    name?: PartyField,
  ) => {
    if (value === null || visibility === 'clear') return value;
    if (visibility === 'reveal' && name) revealable.push(name);
    return mask(value);
  };
  const shown = {
    name: field(party.name, seen.name, maskName) ?? '',
    idNumber: field(party.id_number, seen.idNumber, maskIdNumber, 'idNumber'),
    phone: field(party.phone, seen.phone, maskPhone, 'phone'),
    address: field(party.address, seen.address, maskAddress),
  };
  return {
    id: party.id,
    side: party.side,
    ...shown,
    masked:
      shown.name !== party.name ||
      shown.idNumber !== party.id_number ||
      shown.phone !== party.phone ||
      shown.address !== party.address,
    revealable,
  };
}

export function presentAgreement(agreement: MediationAgreementRow | undefined): MediationDetail['agreement'] {
  if (!agreement) return null;
  return {
    number: agreement.number,
    facts: agreement.facts,
    terms: agreement.terms,
    performanceMethod: agreement.performance_method,
    performancePlace: agreement.performance_place,
    performBy: agreement.perform_by,
    signedOn: agreement.signed_on,
  };
}
