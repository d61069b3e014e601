import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Bulletin,
  BulletinFormat,
  BulletinGenerateInput,
  BulletinPage,
  BulletinStatus,
  BulletinUpdateInput,
} from '../../../shared/bulletins.ts';
import { api, apiUrl } from '../../api/client.ts';

const KEY = ['bulletins'] as const;

/** 通报 list (GET /bulletins). */
export function useBulletins(query: { status?: BulletinStatus | undefined; page: number; pageSize: number }) {
  return useQuery({
    queryKey: [...KEY, 'list', query],
    queryFn: ({ signal }) => api<BulletinPage>('/bulletins', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useBulletin(id: number) {
  return useQuery({
    queryKey: [...KEY, id],
    queryFn: ({ signal }) => api<Bulletin>(`/bulletins/${id}`, { signal }),
  });
}

export function useGenerateBulletin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: BulletinGenerateInput) =>
      api<Bulletin>('/bulletins', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useUpdateBulletin(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: BulletinUpdateInput) =>
      api<Bulletin>(`/bulletins/${id}`, { method: 'PATCH', body: input }),
    onSuccess: (bulletin) => {
      client.setQueryData([...KEY, id], bulletin);
      void client.invalidateQueries({ queryKey: [...KEY, 'list'] });
    },
  });
}

export function usePublishBulletin(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (version: number) =>
      api<Bulletin>(`/bulletins/${id}/publish`, { method: 'POST', body: { version } }),
    onSuccess: (bulletin) => {
      client.setQueryData([...KEY, id], bulletin);
      void client.invalidateQueries({ queryKey: [...KEY, 'list'] });
    },
  });
}

/** Where a bulletin's file downloads from: a plain link, the session cookie goes with it. */
export const bulletinFileUrl = (id: number, format: BulletinFormat) =>
  apiUrl(`/bulletins/${id}/bulletin.${format}`);
