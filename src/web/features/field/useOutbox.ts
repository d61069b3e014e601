import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import type { SessionInfo } from '../../../shared/people.ts';
import {
  apiTransport,
  createOutbox,
  indexedDbStore,
  type Outbox,
  type OutboxItem,
  type ReportItem,
} from './outbox.ts';

let shared: Outbox | null = null;

/** One outbox per page, whichever tab of the field view uses it. */
export function fieldOutbox(): Outbox {
  shared ??= createOutbox(indexedDbStore(), apiTransport);
  return shared;
}

/** The outbox items of `owner`, re-rendering on every change. */
export function useOutboxItems(owner: number | null): OutboxItem[] {
  const outbox = fieldOutbox();
  const items = useSyncExternalStore(outbox.subscribe, outbox.items);
  return owner === null ? [] : items.filter((item) => item.owner === owner);
}

/** Items of other accounts on this phone: they wait for their owner's next login. */
export function useOthersItemCount(owner: number | null): number {
  const outbox = fieldOutbox();
  const items = useSyncExternalStore(outbox.subscribe, outbox.items);
  return items.filter((item) => item.owner !== owner && item.status !== 'sent').length;
}

/** Tries again this often while something waits and the phone says it is online (a server that was down). */
const RETRY_MS = 30_000;

/**
 * Sends the outbox on app start, when the phone comes back online, and now and then while items wait.
 * Before sending it makes sure of the session (offline starts have none, and the CSRF token comes with it).
 * Reports those sends deliver go to `onSentLater`: the form that queued them said only "saved", so this is
 * where the worker learns their case numbers. Returns `sync`, to call after adding an item (the caller then
 * says itself what became of it).
 */
export function useOutboxSync(
  session: SessionInfo | null | undefined,
  refetchSession: () => Promise<SessionInfo | null | undefined>,
  onSentLater: (reports: ReportItem[]) => void,
) {
  const outbox = fieldOutbox();
  const current = useRef(session);
  current.current = session;
  const refetch = useRef(refetchSession);
  refetch.current = refetchSession;
  const announce = useRef(onSentLater);
  announce.current = onSentLater;
  // Two triggers at once (back online as the session returns) may both see a report go: it is told once.
  const announced = useRef(new Set<string>());

  const sync = useCallback(async () => {
    if (!navigator.onLine) return;
    let user = current.current?.user;
    if (!user || outbox.signedOut()) user = (await refetch.current().catch(() => null))?.user;
    if (user) await outbox.flush(user.id);
  }, [outbox]);

  const syncWaiting = useCallback(async () => {
    await outbox.load();
    const waiting = new Set(
      outbox
        .items()
        .flatMap((item) => (item.kind === 'report' && item.status === 'pending' ? [item.id] : [])),
    );
    await sync();
    const sent = outbox
      .items()
      .filter(
        (item): item is ReportItem =>
          waiting.has(item.id) && item.status === 'sent' && !announced.current.has(item.id),
      );
    for (const item of sent) announced.current.add(item.id);
    if (sent.length) announce.current(sent);
  }, [outbox, sync]);

  const signedIn = Boolean(session);
  useEffect(() => {
    if (signedIn) void syncWaiting();
    else void outbox.load();
    const onOnline = () => void syncWaiting();
    window.addEventListener('online', onOnline);
    const timer = window.setInterval(() => {
      if (outbox.items().some((item) => item.status === 'pending')) void syncWaiting();
    }, RETRY_MS);
    return () => {
      window.removeEventListener('online', onOnline);
      window.clearInterval(timer);
    };
  }, [outbox, syncWaiting, signedIn]);

  return sync;
}

/** Whether the phone says it has a network, re-rendering when that changes. */
export function useOnline(): boolean {
  return useSyncExternalStore(
    (listener) => {
      window.addEventListener('online', listener);
      window.addEventListener('offline', listener);
      return () => {
        window.removeEventListener('online', listener);
        window.removeEventListener('offline', listener);
      };
    },
    () => navigator.onLine,
  );
}
