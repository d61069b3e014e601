import { type CaseDetail, PHOTO_FIELDS } from '../../../shared/cases.ts';

/** A photo of the case as its gallery shows it: which step brought it, when and by whom. */
export interface CasePhoto {
  id: string;
  action: string;
  at: string;
  actorName: string;
}

/**
 * The case's photos as a before/after pair: "before" is the problem as reported (the report's photos and an
 * on-the-spot handling's before photos); "after" is everything the handling and the verification brought,
 * newest first, so the latest result is the one shown large next to the problem.
 */
export function beforeAndAfter(events: CaseDetail['events']): { before: CasePhoto[]; after: CasePhoto[] } {
  const before = new Map<string, CasePhoto>();
  const after = new Map<string, CasePhoto>();
  for (const event of events) {
    for (const field of PHOTO_FIELDS) {
      const ids = event.data[field];
      if (!Array.isArray(ids)) continue;
      const side =
        field === 'beforePhotos' || (field === 'evidence' && event.action === 'report') ? before : after;
      for (const id of ids) {
        if (typeof id !== 'string') continue;
        // A file attached to two steps is shown once: before, with the step that first showed the problem;
        // after, with the latest step that stood by it as the result.
        if (side === before && side.has(id)) continue;
        side.delete(id);
        side.set(id, { id, action: event.action, at: event.at, actorName: event.actorName });
      }
    }
  }
  return { before: [...before.values()], after: [...after.values()].reverse() };
}
