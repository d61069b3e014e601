import { createStore, del, set, values } from 'idb-keyval';
import type { CaseDetail, CaseSummary } from '../../../shared/cases.ts';
import type { EntryBatchResult, EntryInput } from '../../../shared/checkpoints.ts';
import type { HouseholdVisit, RecordHouseholdVisitInput } from '../../../shared/household-visits.ts';
import type { RecordVisitInput, ReinspectInput, VisitDetail } from '../../../shared/visits.ts';
import { ApiError, uploadEvidence } from '../../api/client.ts';
import { newClientKey } from '../../api/client-key.ts';
import { caseRequests, type ReportCaseInput } from '../cases/api.ts';
import {
  type HouseholdVisitItemFields,
  householdVisitReceipt,
  householdVisitRequests,
} from '../household-visits/visit-outbox.ts';
import {
  CHECKPOINT_BATCH,
  type CheckpointItemFields,
  checkpointRequests,
  entryRefusal,
} from './checkpoint-outbox.ts';
import { fieldInspectionRequests } from './inspection-api.ts';

/**
 * The field view's outbox. Every report, verification, inspection visit and re-inspection is written here first, then
 * sent; what cannot be sent (no signal, server unreachable, session ended) stays and is sent again when the
 * phone is back online or the app starts. The item id is the report's `clientKey`, chosen once, so a replay
 * whose first answer was lost returns the case already created instead of a second one.
 */

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'conflict';

/** The actions the field view queues. */
export type FieldAction = 'verifyPass' | 'verifyFail';

interface ItemBase {
  /** Chosen once with crypto.randomUUID when the user submits; the report's clientKey. */
  id: string;
  /** The user who made it: it is sent only in that user's session. */
  owner: number;
  createdAt: string;
  /** Photos taken for it, kept as they came from the camera until they are uploaded with it. */
  photos: Blob[];
  /** Ids of the photos uploaded so far, in order: a retry does not upload them again. */
  uploaded: string[];
  status: OutboxStatus;
  /** Why it is not sent: the server's message (failed, conflict) or the last network problem (pending). */
  error: string | null;
  /** The server's refusals field by field with a failed one (`attributes.CODE` …), for the fix form to show. */
  issues?: ApiError['issues'];
  attempts: number;
  sentAt: string | null;
  caseId: number | null;
  caseNumber: string | null;
}

export interface ReportItem extends ItemBase {
  kind: 'report';
  input: Omit<ReportCaseInput, 'clientKey' | 'evidence'>;
  /** What the list shows for it: the category name. */
  label: string;
}

export interface ActionItem extends ItemBase {
  kind: 'action';
  caseId: number;
  caseNumber: string;
  action: FieldAction;
  /** The case version the user saw: if the case moved on meanwhile, the server answers 409. */
  version: number;
  body: { note?: string; reason?: string };
  /** The state the case was in and how many steps its timeline had when the user acted on it. */
  fromState: string;
  eventsSeen: number | null;
  actorName: string;
}

/** What the server answered for a visit: its notice number, score and the rectification cases it raised. */
export interface VisitReceipt {
  id: number;
  noticeNumber: string;
  rate: number | null;
  rawRate: number | null;
  vetoed: boolean;
  cases: { id: number; caseNumber: string; itemKey: string; question: string }[];
}

export interface VisitItem extends ItemBase {
  kind: 'visit';
  campaignId: number;
  /** The visit without photo ids (known once uploaded); `photos` holds each answer's, then the signature. */
  input: Omit<RecordVisitInput, 'clientKey' | 'signature'>;
  /** How many of `photos` belong to each answer of `input.answers`, in order. */
  photoCounts: number[];
  /** Whether the last photo is the signature of the person in charge (a PNG drawn on the screen). */
  signed: boolean;
  /** What the list shows: the target and the campaign. */
  label: string;
  campaignName: string;
  visit: VisitReceipt | null;
}

/** 回头看 of a rectified item from the phone: pass closes its case, fail sends it back to rework. */
export interface ReinspectItem extends ItemBase {
  kind: 'reinspect';
  visitId: number;
  itemKey: string;
  caseId: number;
  caseNumber: string;
  body: Omit<ReinspectInput, 'evidence'>;
  actorName: string;
}

/** A checkpoint entry (卡点登记): sent in batches, and dropped from the phone once the server has it. */
export interface CheckpointItem extends ItemBase, CheckpointItemFields {}

/** A household visit (入户走访): its answers, sent once by the item id as clientKey. */
export interface HouseholdVisitItem extends ItemBase, HouseholdVisitItemFields {}

export type OutboxItem =
  | ReportItem
  | ActionItem
  | VisitItem
  | ReinspectItem
  | CheckpointItem
  | HouseholdVisitItem;

export interface OutboxStore {
  all(): Promise<OutboxItem[]>;
  put(item: OutboxItem): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Where the outbox lives on the phone: its own IndexedDB database, so clearing other caches keeps it. */
export function indexedDbStore(): OutboxStore {
  const store = createStore('gridgov-field-outbox', 'items');
  return {
    all: () => values<OutboxItem>(store),
    put: (item) => set(item.id, item, store),
    remove: (id) => del(id, store),
  };
}

export interface Transport {
  upload(photo: Blob): Promise<{ id: string }>;
  report(input: ReportCaseInput): Promise<CaseSummary>;
  act(caseId: number, action: FieldAction, body: Record<string, unknown>): Promise<CaseDetail>;
  getCase(caseId: number): Promise<CaseDetail>;
  recordVisit(campaignId: number, input: RecordVisitInput): Promise<VisitDetail>;
  reinspect(visitId: number, itemKey: string, input: ReinspectInput): Promise<VisitDetail>;
  getVisit(visitId: number): Promise<VisitDetail>;
  logCheckpointEntries(checkpointId: number, entries: EntryInput[]): Promise<EntryBatchResult>;
  recordHouseholdVisit(campaignId: number, input: RecordHouseholdVisitInput): Promise<HouseholdVisit>;
}

/** The gridgov API; a 401 is left to the outbox (kept and sent after the next login), not a redirect. */
export const apiTransport: Transport = {
  upload: uploadEvidence,
  report: (input) => caseRequests.report(input, { redirectOn401: false }),
  act: (caseId, action, body) => caseRequests.act(caseId, action, body, { redirectOn401: false }),
  getCase: (caseId) => caseRequests.get(caseId, { redirectOn401: false }),
  ...fieldInspectionRequests,
  ...checkpointRequests,
  ...householdVisitRequests,
};

/** The visit as the server takes it: the uploaded photo ids put back on their answers, the signature last. */
export function visitInputOf(item: VisitItem, evidence: readonly string[]): RecordVisitInput {
  let at = 0;
  const answers = item.input.answers.map((answer, index) => {
    const count = item.photoCounts[index] ?? 0;
    const ids = evidence.slice(at, at + count);
    at += count;
    return { ...answer, evidence: ids };
  });
  return {
    ...item.input,
    clientKey: item.id,
    answers,
    ...(item.signed ? { signature: evidence[at] ?? null } : {}),
  };
}

export function receiptOf(visit: VisitDetail): VisitReceipt {
  return {
    id: visit.id,
    noticeNumber: visit.noticeNumber,
    rate: visit.rate,
    rawRate: visit.rawRate,
    vetoed: visit.vetoedBy !== null,
    cases: visit.answers.flatMap((answer) =>
      answer.case
        ? [
            {
              id: answer.case.id,
              caseNumber: answer.case.caseNumber,
              itemKey: answer.itemKey,
              question: answer.question,
            },
          ]
        : [],
    ),
  };
}

/** Sent items are shown for a while, so the worker sees the case number, then forgotten. */
const KEEP_SENT_MS = 3 * 24 * 3_600_000;

type Outcome = 'retryLater' | 'signedOut' | 'failed' | 'conflict';

/**
 * What a failed send means. No answer (offline, server down) and overload are worth another try later; an
 * ended session waits for the next login; any other refusal (4xx) will not change by sending the same thing
 * again, so the user has to fix or discard it; 409 is a case that moved on since the user saw it.
 */
export function outcomeOf(error: unknown): Outcome {
  if (!(error instanceof ApiError)) return 'retryLater';
  if (error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500) {
    return 'retryLater';
  }
  if (error.status === 401) return 'signedOut';
  if (error.status === 409) return 'conflict';
  return 'failed';
}

export const isOpen = (item: OutboxItem) => item.status !== 'sent';

export type Outbox = ReturnType<typeof createOutbox>;

export function createOutbox(
  store: OutboxStore,
  transport: Transport,
  options: { isOnline?: () => boolean; now?: () => Date; newId?: () => string } = {},
) {
  const isOnline = options.isOnline ?? (() => navigator.onLine);
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? newClientKey;
  let items: OutboxItem[] = [];
  let signedOut = false;
  const listeners = new Set<() => void>();
  let loaded: Promise<void> | null = null;
  let flushing: Promise<void> | null = null;
  let flushAgain = false;
  // Discarded while being sent: the send's own bookkeeping must not bring it back.
  const discarded = new Set<string>();

  const emit = () => {
    for (const listener of listeners) listener();
  };

  async function save(item: OutboxItem): Promise<void> {
    if (discarded.has(item.id)) return;
    await store.put(item);
    items = [...items.filter((other) => other.id !== item.id), item].sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
    emit();
  }

  /** Reads the outbox; an item left "sending" by a closed app is sent again (the clientKey makes it safe). */
  function load(): Promise<void> {
    loaded ??= (async () => {
      const stored = await store.all();
      const cutoff = now().getTime() - KEEP_SENT_MS;
      const kept: OutboxItem[] = [];
      for (const item of stored) {
        if (item.status === 'sent' && new Date(item.sentAt ?? item.createdAt).getTime() < cutoff) {
          await store.remove(item.id);
        } else if (item.status === 'sending') {
          const pending = { ...item, status: 'pending' as const };
          await store.put(pending);
          kept.push(pending);
        } else {
          kept.push(item);
        }
      }
      items = kept.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      emit();
    })();
    return loaded;
  }

  const base = (owner: number, photos: Blob[]) => ({
    id: newId(),
    owner,
    createdAt: now().toISOString(),
    photos,
    uploaded: [],
    status: 'pending' as const,
    error: null,
    attempts: 0,
    sentAt: null,
  });

  async function addReport(
    owner: number,
    report: { input: ReportItem['input']; label: string; photos: Blob[] },
  ): Promise<ReportItem> {
    await load();
    const item: ReportItem = {
      ...base(owner, report.photos),
      kind: 'report',
      caseId: null,
      caseNumber: null,
      input: report.input,
      label: report.label,
    };
    await save(item);
    return item;
  }

  async function addAction(
    owner: number,
    action: Pick<
      ActionItem,
      'caseId' | 'caseNumber' | 'action' | 'version' | 'body' | 'fromState' | 'eventsSeen' | 'actorName'
    > & { photos: Blob[] },
  ): Promise<ActionItem> {
    await load();
    const item: ActionItem = { ...base(owner, action.photos), ...action, kind: 'action' };
    await save(item);
    return item;
  }

  async function addVisit(
    owner: number,
    visit: Pick<
      VisitItem,
      'campaignId' | 'input' | 'photoCounts' | 'signed' | 'label' | 'campaignName' | 'photos'
    >,
  ): Promise<VisitItem> {
    await load();
    const item: VisitItem = {
      ...base(owner, visit.photos),
      ...visit,
      kind: 'visit',
      caseId: null,
      caseNumber: null,
      visit: null,
    };
    await save(item);
    return item;
  }

  async function addReinspection(
    owner: number,
    reinspection: Pick<
      ReinspectItem,
      'visitId' | 'itemKey' | 'caseId' | 'caseNumber' | 'body' | 'actorName' | 'photos'
    >,
  ): Promise<ReinspectItem> {
    await load();
    const item: ReinspectItem = { ...base(owner, reinspection.photos), ...reinspection, kind: 'reinspect' };
    await save(item);
    return item;
  }

  async function addCheckpointEntry(
    owner: number,
    entry: Pick<CheckpointItem, 'checkpointId' | 'label' | 'entry'>,
  ): Promise<CheckpointItem> {
    await load();
    const item: CheckpointItem = {
      ...base(owner, []),
      ...entry,
      kind: 'checkpoint',
      caseId: null,
      caseNumber: null,
    };
    await save(item);
    return item;
  }

  async function addHouseholdVisit(
    owner: number,
    visit: Pick<HouseholdVisitItem, 'campaignId' | 'input' | 'label'>,
  ): Promise<HouseholdVisitItem> {
    await load();
    const item: HouseholdVisitItem = {
      ...base(owner, []),
      ...visit,
      kind: 'householdVisit',
      caseId: null,
      caseNumber: null,
      visit: null,
    };
    await save(item);
    return item;
  }

  /** A report the server refused, corrected by the user: same clientKey (no case was created), sent anew. */
  async function fixReport(
    id: string,
    report: { input: ReportItem['input']; label: string; photos: Blob[] },
  ): Promise<void> {
    const item = items.find((other) => other.id === id);
    if (item?.kind !== 'report' || (item.status !== 'failed' && item.status !== 'pending')) return;
    await save({ ...item, ...report, uploaded: [], status: 'pending', error: null, issues: [] });
  }

  async function discard(id: string): Promise<void> {
    discarded.add(id);
    await store.remove(id);
    items = items.filter((item) => item.id !== id);
    emit();
  }

  /** Puts a failed item back in line (after the user fixed the cause elsewhere, e.g. their scope). */
  async function retry(id: string): Promise<void> {
    const item = items.find((other) => other.id === id);
    if (item && (item.status === 'failed' || item.status === 'pending')) {
      await save({ ...item, status: 'pending', error: null, issues: [] });
    }
  }

  async function uploadPhotos(item: OutboxItem): Promise<string[]> {
    const uploaded = [...item.uploaded];
    for (const photo of item.photos.slice(uploaded.length)) {
      uploaded.push((await transport.upload(photo)).id);
      await save({ ...item, status: 'sending', uploaded: [...uploaded] });
    }
    return uploaded;
  }

  /**
   * A 409 after a lost answer can be our own action, already applied: the timeline then has our step
   * (same action from the same state by us with the same words) after the steps the user had seen.
   */
  async function alreadyApplied(item: ActionItem, evidence: string[]): Promise<boolean> {
    const detail = await transport.getCase(item.caseId);
    const words = item.body.note ?? item.body.reason ?? null;
    return detail.events.slice(item.eventsSeen ?? 0).some((event) => {
      const photos = Array.isArray(event.data.evidence) ? event.data.evidence : [];
      return (
        event.action === item.action &&
        event.fromState === item.fromState &&
        event.actorName === item.actorName &&
        (event.note ?? null) === words &&
        photos.join() === evidence.join()
      );
    });
  }

  /** Same for a re-inspection: the visit lists ours (same item, case, outcome, words, photos, inspector). */
  async function reinspectionApplied(item: ReinspectItem, evidence: string[]): Promise<boolean> {
    const visit = await transport.getVisit(item.visitId);
    return visit.reinspections.some(
      (done) =>
        done.itemKey === item.itemKey &&
        done.caseId === item.caseId &&
        done.outcome === item.body.outcome &&
        done.note === item.body.note &&
        done.inspectorName === item.actorName &&
        done.evidence.join() === evidence.join(),
    );
  }

  /** Hands the item to the server; what the sent item keeps of the answer. */
  async function deliver(item: OutboxItem, evidence: string[]): Promise<Partial<OutboxItem>> {
    const photos = evidence.length ? { evidence } : {};
    switch (item.kind) {
      case 'report': {
        const done = await transport.report({ ...item.input, clientKey: item.id, ...photos });
        return { caseId: done.id, caseNumber: done.caseNumber };
      }
      case 'action': {
        const done = await transport.act(item.caseId, item.action, {
          version: item.version,
          ...item.body,
          ...photos,
        });
        return { caseId: done.id, caseNumber: done.caseNumber };
      }
      case 'visit':
        return {
          visit: receiptOf(await transport.recordVisit(item.campaignId, visitInputOf(item, evidence))),
        };
      case 'reinspect':
        await transport.reinspect(item.visitId, item.itemKey, { ...item.body, evidence });
        return {};
      case 'householdVisit':
        return {
          visit: householdVisitReceipt(
            await transport.recordHouseholdVisit(item.campaignId, { ...item.input, clientKey: item.id }),
          ),
        };
      case 'checkpoint': {
        const [result] = (await transport.logCheckpointEntries(item.checkpointId, [entryOf(item)])).results;
        if (result?.status === 'rejected') throw entryRefusal(result);
        return {};
      }
    }
  }

  const entryOf = (item: CheckpointItem): EntryInput => ({ ...item.entry, clientKey: item.id });

  /** An item the server has: gone from the phone without being kept as "sent" (checkpoint entries). */
  async function forget(id: string): Promise<void> {
    await store.remove(id);
    items = items.filter((item) => item.id !== id);
  }

  /**
   * Sends the user's pending checkpoint entries, a batch per request; each entry is answered on its own, so a
   * refused one is marked for the user and the rest leave the phone. Returns false when sending should stop.
   */
  async function sendCheckpointBatches(owner: number): Promise<boolean> {
    const failedBatches = new Set<string>();
    for (;;) {
      const pending = items.filter(
        (item): item is CheckpointItem =>
          item.kind === 'checkpoint' &&
          item.owner === owner &&
          item.status === 'pending' &&
          !failedBatches.has(item.id),
      );
      const first = pending[0];
      if (!first) return true;
      if (!isOnline()) return false;
      const batch = pending
        .filter((item) => item.checkpointId === first.checkpointId)
        .slice(0, CHECKPOINT_BATCH);
      try {
        const answer = await transport.logCheckpointEntries(first.checkpointId, batch.map(entryOf));
        const byKey = new Map(answer.results.map((result) => [result.clientKey, result]));
        for (const item of batch) {
          const result = byKey.get(item.id);
          if (result?.status === 'rejected') {
            const refusal = entryRefusal(result);
            await save({ ...item, status: 'failed', error: refusal.message, issues: refusal.issues });
          } else if (result) {
            await forget(item.id);
          }
        }
        signedOut = false;
        emit();
      } catch (error) {
        const outcome = outcomeOf(error);
        if (outcome === 'retryLater' || outcome === 'signedOut') {
          signedOut = outcome === 'signedOut';
          return false;
        }
        // The whole batch refused (the checkpoint gone from the user's scope): each is tried alone, and
        // marked with its own answer.
        for (const item of batch) failedBatches.add(item.id);
        for (const item of batch) if (!(await send(item))) return false;
      }
    }
  }

  /** Sends one item; returns false when sending should stop for now (no network, no session). */
  async function send(item: OutboxItem): Promise<boolean> {
    const sending = { ...item, status: 'sending' as const, attempts: item.attempts + 1 };
    await save(sending);
    let evidence: string[] = item.uploaded;
    try {
      evidence = await uploadPhotos(sending);
      const answer = await deliver(item, evidence);
      // Sent: the photos are on the server now and need not take space on the phone any more.
      await save({
        ...sending,
        uploaded: evidence,
        photos: [],
        status: 'sent',
        error: null,
        sentAt: now().toISOString(),
        ...answer,
      } as OutboxItem);
      signedOut = false;
      return true;
    } catch (error) {
      const outcome = outcomeOf(error);
      const message = error instanceof Error ? error.message : String(error);
      const current = { ...sending, uploaded: evidence };
      if (outcome === 'conflict' && (item.kind === 'action' || item.kind === 'reinspect')) {
        const applied = await (item.kind === 'action'
          ? alreadyApplied(item, evidence)
          : reinspectionApplied(item, evidence)
        ).catch(() => false);
        if (applied) {
          await save({ ...current, photos: [], status: 'sent', error: null, sentAt: now().toISOString() });
          return true;
        }
      }
      if (outcome === 'failed' || outcome === 'conflict') {
        const issues = error instanceof ApiError ? error.issues : [];
        await save({ ...current, status: outcome, error: message, issues });
        return true;
      }
      signedOut = outcome === 'signedOut';
      await save({ ...current, status: 'pending', error: message });
      return false;
    }
  }

  /**
   * Sends the user's pending items, oldest first, one at a time. One run at a time: a call during a run
   * makes the run go round once more, so nothing added meanwhile waits for the next trigger.
   */
  function flush(owner: number): Promise<void> {
    if (flushing) {
      flushAgain = true;
      return flushing;
    }
    flushing = (async () => {
      await load();
      do {
        flushAgain = false;
        if (!(await sendCheckpointBatches(owner))) return;
        for (const { id } of items.filter((other) => other.owner === owner && other.status === 'pending')) {
          // Re-read: the user may have discarded or fixed it while an earlier one was being sent.
          const item = items.find((other) => other.id === id);
          if (item?.status !== 'pending') continue;
          if (!isOnline()) return;
          if (!(await send(item))) return;
        }
      } while (flushAgain);
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  return {
    load,
    flush,
    addReport,
    addAction,
    addVisit,
    addReinspection,
    addCheckpointEntry,
    addHouseholdVisit,
    fixReport,
    discard,
    retry,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    items: () => items,
    /** True when the last send was refused because the session had ended: the user must log in again. */
    signedOut: () => signedOut,
  };
}
