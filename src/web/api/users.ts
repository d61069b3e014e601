import { useQuery } from '@tanstack/react-query';
import type { Department, User } from '../../shared/people.ts';
import { api } from './client.ts';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface UserListQuery {
  q?: string;
  role?: string;
  page?: number;
  pageSize?: number;
}

export function useUsers(query: UserListQuery, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['users', query],
    queryFn: ({ signal }) => api<Page<User>>('/users', { query: { ...query }, signal }),
    placeholderData: (previous) => previous,
    enabled: options.enabled ?? true,
  });
}

/** Departments; the list is short, so it is read whole. */
export function useDepartments() {
  return useQuery({
    queryKey: ['departments'],
    queryFn: async ({ signal }) => {
      const data = await api<Department[] | Page<Department>>('/departments', {
        query: { pageSize: 200 },
        signal,
      });
      return Array.isArray(data) ? data : data.items;
    },
  });
}
