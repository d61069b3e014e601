import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { publicConfigSchema, SessionInfo } from '../../shared/people.ts';
import { ApiError, api, setCsrfToken } from './client.ts';

export type PublicConfig = z.infer<typeof publicConfigSchema>;

export const sessionKey = ['session'] as const;

export function useConfig() {
  return useQuery({
    queryKey: ['config'],
    queryFn: () => api<PublicConfig>('/config', { redirectOn401: false }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The signed-in user, or null when nobody is signed in. */
export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async () => {
      try {
        const session = await api<SessionInfo>('/auth/session', { redirectOn401: false });
        setCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw error;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) =>
      api<SessionInfo>('/auth/login', { method: 'POST', body: input, redirectOn401: false }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'config' });
      queryClient.setQueryData(sessionKey, session);
    },
  });
}

/** Ends this session (or every session of the user) and forgets everything cached for them. */
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (options: { everywhere: boolean }) =>
      api<unknown>(options.everywhere ? '/auth/logout-all' : '/auth/logout', {
        method: 'POST',
        redirectOn401: false,
      }).catch((error: unknown) => {
        // An already ended session is the outcome the user asked for.
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }),
    onSuccess: () => {
      setCsrfToken(null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'config' });
      queryClient.setQueryData(sessionKey, null);
    },
  });
}
