import { type Locale, localize } from '../../../shared/errors.ts';
import type { PublicTicket } from '../../../shared/portal.ts';
import type { PublicCase } from '../cases/case.service.ts';
import { HIDDEN_TEXT, PUBLIC_STAGE_OF_STATE, publicStepText, RECEIVED_TEXT } from '../cases/public-case.ts';

const OUTCOMES = { closed: 'fixed', rejected: 'rejected', merged: 'merged' } as const;

/**
 * A case as the ticket page shows it: stage, public steps in their fixed sentences, the department it went to,
 * public photos. Built only from the public view of the case, which holds nothing of the reporter. Nor does it
 * hold the report's extra fields: a field may ask for anything personal (a plate number, a flat, a time one was at
 * home), and no one vets them for publication as staff vet the description, so none is shown publicly.
 */
export function presentTicket(found: PublicCase, locale: Locale): PublicTicket {
  const outcome = OUTCOMES[found.state as keyof typeof OUTCOMES] ?? null;
  return {
    ticketNo: found.ticketCode,
    stage: PUBLIC_STAGE_OF_STATE[found.state],
    outcome,
    categoryName: found.categoryName,
    gridName: found.regionName,
    departmentName: found.leadDepartmentName,
    description: found.descriptionHidden ? localize(HIDDEN_TEXT, locale) : found.description,
    descriptionHidden: found.descriptionHidden,
    lon: found.lon,
    lat: found.lat,
    photos: found.photos,
    hiddenPhotos: found.hiddenPhotos,
    timeline: [
      { id: 0, at: found.createdAt.toISOString(), stage: 'received', text: localize(RECEIVED_TEXT, locale) },
      ...found.steps.map(({ id, at, step }) => ({
        id,
        at: at.toISOString(),
        stage: PUBLIC_STAGE_OF_STATE[step.toState as keyof typeof PUBLIC_STAGE_OF_STATE] ?? 'received',
        text: localize(publicStepText(step), locale),
      })),
    ],
    reportedAt: found.createdAt.toISOString(),
    closedAt: found.closedAt?.toISOString() ?? null,
    satisfaction: found.satisfaction,
    rateable: found.source === 'resident' && found.state === 'closed' && found.satisfaction === null,
  };
}
