import type {
  CampaignDetail,
  CampaignDetailTarget,
  CampaignListItem,
  CampaignRound,
  CampaignSummary,
  CampaignTarget,
  MyTarget,
} from '../../../shared/campaigns.ts';
import type { SiteType } from '../../../shared/inspections.ts';
import { CODE_LENGTH } from '../../../shared/territory.ts';
import type { CampaignWithNames, listVisitsToMake, TargetWithNames } from './campaign.repository.ts';
import type { RoundFigureRow } from './campaign-results.repository.ts';
import type { CampaignTargetRow } from './inspection.table.ts';

export function presentCampaignSummary(row: CampaignWithNames): CampaignSummary {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    covert: row.covert,
    publishedAt: row.published_at?.toISOString() ?? null,
    regionCode: row.region_code,
    regionName: row.region_name ?? row.region_code,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    recurrence: row.recurrence,
    template: {
      id: row.template_id,
      code: row.template_code,
      version: row.template_version,
      name: row.template_name,
    },
    organiser: row.organiser_id === null ? null : { id: row.organiser_id, name: row.organiser_name ?? '' },
    targetCount: row.target_count,
    sampledCount: row.sampled_count,
  };
}

/**
 * A row of the campaign list with how far its latest opened regular round has got. Its visits are counted like
 * its targets: all of them for those who run it, else those in the viewer's scope.
 */
export function presentCampaignListItem(
  row: CampaignWithNames,
  progress: { round: number; visited: number; visitedInScope: number } | undefined,
): CampaignListItem {
  return {
    ...presentCampaignSummary(row),
    progressRound: progress?.round ?? null,
    visited: (row.runs ? progress?.visited : progress?.visitedInScope) ?? 0,
    targets: row.sampled_count,
  };
}

function presentDetailTarget(row: TargetWithNames): CampaignDetailTarget {
  return {
    ...presentTarget(row),
    regionName: row.region_name ?? row.region_code,
    // A target in a village without grids lies in the village itself: no second name to give.
    villageName: row.region_code.length > CODE_LENGTH.village ? row.village_name : null,
  };
}

export function presentTarget(row: CampaignTargetRow): CampaignTarget {
  return {
    id: row.id,
    kind: row.kind,
    refId: row.ref_id,
    name: row.name,
    siteType: row.site_type as SiteType,
    regionCode: row.region_code,
    address: row.address,
    lon: row.lon,
    lat: row.lat,
    sampled: row.sampled,
  };
}

export function presentCampaignDetail(
  row: CampaignWithNames,
  extra: {
    inspectors: { id: number; name: string }[];
    targets: TargetWithNames[];
    rights: CampaignDetail['rights'];
  },
): CampaignDetail {
  return {
    ...presentCampaignSummary(row),
    organiserDepartment:
      row.organiser_department_id === null
        ? null
        : { id: row.organiser_department_id, name: row.organiser_department_name ?? '' },
    inspectors: extra.inspectors,
    sampleSize: row.sample_size,
    sampleSeed: row.sample_seed,
    rectifyLimit: row.rectify_limit,
    rectifyBy: row.rectify_by,
    signatureRequired: row.signature_required,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    rowVersion: row.row_version,
    targets: extra.targets.map(presentDetailTarget),
    rights: extra.rights,
  };
}

export function presentRound(row: RoundFigureRow): CampaignRound {
  const drill = (figure: string) => `figure=${figure}&key=${row.id}`;
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    opensOn: row.opens_on,
    dueOn: row.due_on,
    targets: row.targets,
    visited: row.visited,
    late: row.late,
    missed: row.missed,
    drill: { visited: drill('roundVisited'), late: drill('roundLate'), missed: drill('roundMissed') },
  };
}

export function presentMyTarget(
  row: Awaited<ReturnType<typeof listVisitsToMake>>[number],
  today: string,
): MyTarget {
  return {
    campaign: {
      id: row.campaign_id,
      name: row.campaign_name,
      covert: row.covert,
      templateId: row.template_id,
      signatureRequired: row.signature_required,
    },
    round: {
      id: row.round_id,
      number: row.round_number,
      kind: row.round_kind,
      opensOn: row.opens_on,
      dueOn: row.due_on,
    },
    target: presentTarget(row.target),
    visitId: row.visit_id,
    visitedAt: row.visited_at ? new Date(row.visited_at).toISOString() : null,
    due: row.visit_id !== null ? 'done' : row.due_on < today ? 'overdue' : 'open',
  };
}
