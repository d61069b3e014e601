import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Department, User } from '../../../shared/people.ts';
import { api, type MutationCallbacks as Callbacks, type Page } from '../../api/client.ts';

export interface UserListQuery {
  q?: string;
  role?: string;
  page?: number;
  pageSize?: number;
}

const USERS = ['users'] as const;
const DEPARTMENTS = ['departments'] as const;

export function useUsers(query: UserListQuery, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...USERS, query],
    queryFn: ({ signal }) => api<Page<User>>('/users', { query: { ...query }, signal }),
    placeholderData: (previous) => previous,
    enabled: options.enabled ?? true,
  });
}

/** Creates a user (no `id`) or edits one (the body carries the version read). */
export function useSaveUser({ onSuccess, onError }: Callbacks<User> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: Record<string, unknown> }) =>
      id === null
        ? api<User>('/users', { method: 'POST', body })
        : api<User>(`/users/${id}`, { method: 'PATCH', body }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: USERS });
      onSuccess?.(saved);
    },
    onError,
  });
}

export function useResetPassword(userId: number, { onSuccess, onError }: Callbacks<unknown> = {}) {
  return useMutation({
    mutationFn: (values: { password: string }) =>
      api<unknown>(`/users/${userId}/password`, { method: 'POST', body: values }),
    onSuccess,
    onError,
  });
}

/** Lifts a lockout after too many failed sign-ins. */
export function useUnlockUser({ onSuccess, onError }: Callbacks<unknown> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (user: User) => api<unknown>(`/users/${user.id}/unlock`, { method: 'POST' }),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: USERS });
      onSuccess?.(result);
    },
    onError,
  });
}

/** Departments; the list is short, so it is read whole. */
export function useDepartments() {
  return useQuery({
    queryKey: DEPARTMENTS,
    queryFn: async ({ signal }) => {
      const data = await api<Department[] | Page<Department>>('/departments', {
        query: { pageSize: 200 },
        signal,
      });
      return Array.isArray(data) ? data : data.items;
    },
  });
}

export function useSaveDepartment({ onSuccess, onError }: Callbacks<Department> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: Record<string, unknown> }) =>
      id === null
        ? api<Department>('/departments', { method: 'POST', body })
        : api<Department>(`/departments/${id}`, { method: 'PATCH', body }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: DEPARTMENTS });
      onSuccess?.(saved);
    },
    onError,
  });
}
