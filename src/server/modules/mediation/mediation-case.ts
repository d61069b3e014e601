import type { CaseAction, CaseState } from '../../../shared/case-workflow.ts';
import type { CaseDetail } from '../../../shared/cases.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { CaseService } from '../cases/case.service.ts';
import { type Actor, systemActor } from '../people/actor.ts';

/**
 * How a mediation moves its dispute case through the case loop, always through the cases service: opening it
 * takes the case to 处置中 (registered, dispatched to the unit its category routes to, accepted), and its outcome —
 * an agreement or a referral — marks it handled (办结), so the grid worker verifies it and the case closes as any
 * other. The mediator is not a case role: the steps are taken by the system on the mediator's behalf (the audit
 * entry names them), the mediation's own audit entry records who decided. While the mediation is open the case's
 * other actions are held (`mediating` in case-workflow.ts); these steps are the mediation's own (`byMediation`).
 */
const STEP_TO_ACCEPTED: Partial<Record<CaseState, CaseAction>> = {
  reported: 'register',
  registered: 'dispatch',
  dispatched: 'accept',
  suspended: 'resume',
  // A request for more time the dispatcher has not answered: the mediation's own limit now governs.
  extensionRequested: 'refuseExtension',
};

export function caseActorFor(actor: Actor): Actor {
  return systemActor(`调解员 ${actor.name}（${actor.username}）`);
}

export type CaseMover = ReturnType<typeof createCaseMover>;

export function createCaseMover(cases: CaseService) {
  /** Moves the case to 处置中 (accepted), step by step from wherever it stands; a finished case is refused. */
  async function toAccepted(actor: Actor, caseId: number, note: string): Promise<CaseDetail> {
    const system = caseActorFor(actor);
    for (let step = 0; step < 6; step++) {
      const current = await cases.getCase(system, caseId);
      const state = current.state as CaseState;
      if (state === 'accepted') return current;
      const action = STEP_TO_ACCEPTED[state];
      if (!action) {
        throw new AppError('VALIDATION_FAILED', {
          summary: {
            zh: `案件 ${current.caseNumber} 已办结或已结案，不能再转入调解`,
            en: `Case ${current.caseNumber} is already handled or closed: it cannot go to mediation`,
          },
        });
      }
      if (action === 'dispatch') {
        // The routing rules pick the lead unit (the comprehensive-governance office for disputes).
        const [outcome] = await cases.actOnCases(system, {
          action,
          items: [{ id: caseId, version: current.version }],
          input: { note },
          byMediation: true,
        });
        if (outcome?.error) throw outcome.error;
        continue;
      }
      const input = action === 'refuseExtension' ? { reason: note } : { note };
      await cases.actOnCase(system, {
        caseId,
        action,
        version: current.version,
        input: input as never,
        byMediation: true,
      });
    }
    throw new AppError('VALIDATION_FAILED', {
      summary: { zh: '案件无法转入处置中', en: 'The case could not be taken into handling' },
    });
  }

  /**
   * Marks the case handled with the outcome as its note and the photos of the signed agreement (or referral
   * letter) as its evidence — the case loop asks every handling for some; `alongside` writes the mediation in the
   * same transaction, so the outcome and the case step exist together or not at all.
   */
  async function toHandled(
    actor: Actor,
    caseId: number,
    outcome: { note: string; evidence: readonly string[] },
    alongside: (trx: Db) => Promise<void>,
  ): Promise<void> {
    const current = await toAccepted(actor, caseId, outcome.note);
    await cases.actOnCase(caseActorFor(actor), {
      caseId,
      action: 'finish',
      version: current.version,
      input: { note: outcome.note, evidence: outcome.evidence },
      alongside,
      byMediation: true,
    });
  }

  /**
   * Prepares the case's handling step to follow the mediation's limit (see `prepareHandlingDeadline`): set at
   * opening, moved by an agreed extension, let go (`due` null) when the mediation closes. Run the returned write
   * in the mediation's transaction.
   */
  function followLimit(actor: Actor, caseId: number, due: Date | null, note: string) {
    return cases.prepareHandlingDeadline(caseActorFor(actor), { caseId, due, note });
  }

  return { toAccepted, toHandled, followLimit };
}
