import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Assignment,
  FigureQuery,
  Figures,
  MyTask,
  RequestDetail,
  RequestInput,
  RequestListQuery,
  RequestPage,
  SendVolunteersInput,
  SignInListQuery,
  SignInPage,
  Unit,
  UnitInput,
  UnitPage,
  Volunteer,
  VolunteerInput,
} from '../../../shared/volunteers.ts';
import { api } from '../../api/client.ts';

const KEY = ['volunteers'] as const;

export function useUnits(query: { q?: string; page: number; pageSize: number }) {
  return useQuery({
    queryKey: [...KEY, 'units', query],
    queryFn: ({ signal }) => api<UnitPage>('/volunteer-units', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useUnitVolunteers(unitId: number | null) {
  return useQuery({
    queryKey: [...KEY, 'unit', unitId, 'volunteers'],
    queryFn: ({ signal }) => api<Volunteer[]>(`/volunteer-units/${unitId}/volunteers`, { signal }),
    enabled: unitId !== null,
  });
}

export function useRequests(query: Partial<RequestListQuery>, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...KEY, 'requests', query],
    queryFn: ({ signal }) => api<RequestPage>('/volunteer-requests', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
    ...options,
  });
}

export function useRequest(id: number | null) {
  return useQuery({
    queryKey: [...KEY, 'request', id],
    queryFn: ({ signal }) => api<RequestDetail>(`/volunteer-requests/${id}`, { signal }),
    enabled: id !== null,
  });
}

export function useFigures(query: Partial<FigureQuery>) {
  return useQuery({
    queryKey: [...KEY, 'figures', query],
    queryFn: ({ signal }) => api<Figures>('/volunteers/figures', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useSignIns(query: Partial<SignInListQuery> | null) {
  return useQuery({
    queryKey: [...KEY, 'sign-ins', query],
    queryFn: ({ signal }) => api<SignInPage>('/volunteers/sign-ins', { query: { ...query }, signal }),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
}

export function useMyTasks(enabled: boolean) {
  return useQuery({
    queryKey: [...KEY, 'my-tasks'],
    queryFn: ({ signal }) => api<MyTask[]>('/volunteers/my-tasks', { signal }),
    enabled,
  });
}

/** Every write refreshes the volunteer queries: counts move on every page at once. */
function useWrite<I, O>(send: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export const useCreateUnit = () =>
  useWrite((input: UnitInput) => api<Unit>('/volunteer-units', { method: 'POST', body: input }));

export const useAddVolunteer = (unitId: number) =>
  useWrite((input: VolunteerInput) =>
    api<Volunteer>(`/volunteer-units/${unitId}/volunteers`, { method: 'POST', body: input }),
  );

export const useCreateRequest = () =>
  useWrite((input: RequestInput) =>
    api<RequestDetail>('/volunteer-requests', { method: 'POST', body: input }),
  );

export const useSendVolunteers = (requestId: number) =>
  useWrite((input: SendVolunteersInput) =>
    api<RequestDetail>(`/volunteer-requests/${requestId}/assignments`, { method: 'POST', body: input }),
  );

/**
 * Signs in or out. A volunteer's own sign-in opens (or ends) what they may read and do — their task's community,
 * checkpoint and visit campaign — so every query is refetched, not just the volunteers'.
 */
export function useSign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: 'sign-in' | 'sign-out' }) =>
      api<Assignment>(`/volunteer-assignments/${id}/${action}`, { method: 'POST', body: {} }),
    onSuccess: () => client.invalidateQueries(),
  });
}

export function revealVolunteer(id: number, field: 'phone' | 'idNumber') {
  return api<{ field: string; value: string | null }>(`/volunteers/${id}/reveal`, {
    method: 'POST',
    body: { field },
  });
}
