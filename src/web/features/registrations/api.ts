import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  PublicRegistrationAnswer,
  PublicRegistrationInput,
  Registration,
  RegistrationCountQuery,
  RegistrationCounts,
  RegistrationListQuery,
  RegistrationPage,
  RegistrationRevealResult,
  RegistrationSensitiveField,
} from '../../../shared/registrations.ts';
import { api } from '../../api/client.ts';

/** The registrations' calls: the public form's (/public, no session) and the console's. */

const REGISTRATIONS = ['registrations'] as const;

export function usePublicRegistrationSettings() {
  return useQuery({
    queryKey: ['public', 'registrations', 'settings'],
    queryFn: ({ signal }) =>
      api<{ windowHours: number }>('/public/registrations/settings', { signal, redirectOn401: false }),
    staleTime: 10 * 60_000,
  });
}

export function sendRegistration(input: PublicRegistrationInput): Promise<PublicRegistrationAnswer> {
  return api<PublicRegistrationAnswer>('/public/registrations', {
    method: 'POST',
    redirectOn401: false,
    body: input,
  });
}

export function useRegistrations(query: Partial<RegistrationListQuery>) {
  return useQuery({
    queryKey: [...REGISTRATIONS, 'list', query],
    queryFn: ({ signal }) => api<RegistrationPage>('/registrations', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useRegistrationCounts(query: RegistrationCountQuery) {
  return useQuery({
    queryKey: [...REGISTRATIONS, 'counts', query],
    queryFn: ({ signal }) =>
      api<RegistrationCounts>('/registrations/counts', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useRegistrationsToVisit(enabled: boolean) {
  return useQuery({
    queryKey: [...REGISTRATIONS, 'to-visit'],
    queryFn: ({ signal }) => api<Registration[]>('/registrations/to-visit', { signal }),
    enabled,
  });
}

/** Shows one value in clear; the server records it in the personal data log. */
export function revealRegistration(id: number, field: RegistrationSensitiveField) {
  return api<RegistrationRevealResult>(`/registrations/${id}/reveal`, { method: 'POST', body: { field } });
}

export function useConfirmRegistration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: number; version: number; note?: string | undefined }) =>
      api<Registration>(`/registrations/${input.id}/confirm`, {
        method: 'POST',
        body: { version: input.version, ...(input.note ? { note: input.note } : {}) },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: REGISTRATIONS }),
  });
}
