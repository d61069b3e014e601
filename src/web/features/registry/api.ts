import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Coverage,
  HistoryEntry,
  PERSONAL_DATA_ACTIONS,
  PersonalDataLogEntry,
  RegistryEntity,
  RegistryImport,
  RegistryListQuery,
  RegistryPreview,
  RegistryRecords,
  RegistrySearchResult,
  registryPageOf,
} from '../../../shared/registry.ts';
import { REGISTRY_ENTITIES, REGISTRY_PATHS } from '../../../shared/registry.ts';
import { api, apiUrl, type RequestOptions } from '../../api/client.ts';

/*
 * The registry API (docs/API.md "The registry") as TanStack Query hooks. Records of every type share one key
 * prefix, ['registry', …], so a write or an import refreshes every list, search and figure that could show it.
 */

export type RegistryPage<E extends RegistryEntity> = Omit<
  z.infer<ReturnType<typeof registryPageOf>>,
  'items'
> & { items: RegistryRecords[E][] };
/** A list's filters as the page keeps them: everything optional, paging included. */
export type RegistryFilters<E extends RegistryEntity> = Partial<RegistryListQuery<E>>;
export type PersonalDataAction = (typeof PERSONAL_DATA_ACTIONS)[number];

/** The entity type of a path segment (`residents` → `resident`), or null for anything else. */
export function entityOfPath(path: string | undefined): RegistryEntity | null {
  return REGISTRY_ENTITIES.find((entity) => REGISTRY_PATHS[entity] === path) ?? null;
}

/** Where a record opens in the console. */
export function recordLink(entity: RegistryEntity, id: number): string {
  return `/registry/${REGISTRY_PATHS[entity]}/${id}`;
}

const base = (entity: RegistryEntity) => `/registry/${REGISTRY_PATHS[entity]}`;

export function useRegistryList<E extends RegistryEntity>(entity: E, filters: RegistryFilters<E>) {
  return useQuery({
    queryKey: ['registry', entity, 'list', filters],
    queryFn: ({ signal }) =>
      api<RegistryPage<E>>(base(entity), { query: { ...filters } as RequestOptions['query'], signal }),
    placeholderData: keepPreviousData,
  });
}

export function useRegistryRecord<E extends RegistryEntity>(entity: E, id: number | null) {
  return useQuery({
    queryKey: ['registry', entity, 'record', id],
    queryFn: ({ signal }) => api<RegistryRecords[E]>(`${base(entity)}/${id}`, { signal }),
    enabled: id !== null,
  });
}

export function useRegistryHistory(entity: RegistryEntity, id: number | null) {
  return useQuery({
    queryKey: ['registry', entity, 'history', id],
    queryFn: ({ signal }) => api<HistoryEntry[]>(`${base(entity)}/${id}/history`, { signal }),
    enabled: id !== null,
  });
}

/** Shows one personal data value in clear; the server records the reveal in the personal data log. */
export function useReveal(entity: RegistryEntity, id: number) {
  return useMutation({
    mutationFn: (field: string) =>
      api<{ field: string; value: string | null }>(`${base(entity)}/${id}/reveal`, {
        method: 'POST',
        body: { field },
      }),
  });
}

export function useSaveRecord<E extends RegistryEntity>(entity: E, id: number | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      id === null
        ? api<RegistryRecords[E]>(base(entity), { method: 'POST', body })
        : api<RegistryRecords[E]>(`${base(entity)}/${id}`, { method: 'PATCH', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['registry'] });
    },
  });
}

/** A list's records as a file, with the list's filters: masked as the user sees them, logged by the server. */
export function exportUrl<E extends RegistryEntity>(
  entity: E,
  filters: RegistryFilters<E>,
  format: 'xlsx' | 'csv',
): string {
  const { page: _page, pageSize: _pageSize, ...rest } = filters;
  return apiUrl(`${base(entity)}/export`, { ...(rest as RequestOptions['query']), format });
}

export interface SearchQuery {
  q: string;
  entities?: string | undefined;
  page?: number;
  pageSize?: number;
}

export function useRegistrySearch(query: SearchQuery) {
  return useQuery({
    queryKey: ['registry', 'search', query],
    queryFn: ({ signal }) => api<RegistrySearchResult>('/registry/search', { query: { ...query }, signal }),
    enabled: query.q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}

export function useCoverage(root: string | undefined) {
  return useQuery({
    queryKey: ['registry', 'coverage', root ?? ''],
    queryFn: ({ signal }) => api<Coverage>('/registry/coverage', { query: { root }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function usePersonalDataLog(query: { action?: PersonalDataAction | undefined; page: number }) {
  return useQuery({
    queryKey: ['registry', 'personal-data-log', query],
    queryFn: ({ signal }) =>
      api<PersonalDataLogEntry[]>('/registry/personal-data-log', {
        query: { ...query, pageSize: PERSONAL_DATA_LOG_PAGE },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}
export const PERSONAL_DATA_LOG_PAGE = 50;

// ---------------------------------------------------------------------------------------------------------
// Imports.

export interface RegistryUpload {
  entity: RegistryEntity;
  file: File;
  /** Field → header chosen by the user; the rest as the server suggests. */
  mapping: Record<string, string | null>;
  crs: 'wgs84' | 'gcj02';
}

function send<T>(path: string, { file, mapping, crs }: RegistryUpload): Promise<T> {
  return api<T>(path, {
    method: 'POST',
    query: {
      fileName: file.name,
      mapping: Object.keys(mapping).length ? JSON.stringify(mapping) : undefined,
      crs,
    },
    // Sent as plain bytes whatever the browser calls the file (Windows calls a .csv an Excel file).
    body: file.slice(0, file.size, 'application/octet-stream'),
  });
}

export function useImportPreview() {
  return useMutation({
    mutationFn: (upload: RegistryUpload) =>
      send<RegistryPreview>(`${base(upload.entity)}/import/preview`, upload),
  });
}

export function useImportFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (upload: RegistryUpload) => send<RegistryImport>(`${base(upload.entity)}/import`, upload),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['registry'] });
    },
  });
}

/** The imports of a type under way, polled every second while `active`: the progress of a running import. */
export function useRunningImports(entity: RegistryEntity, active: boolean) {
  return useQuery({
    queryKey: ['registry', 'imports', 'running', entity],
    queryFn: ({ signal }) =>
      api<RegistryImport[]>('/registry/imports', { query: { entity, status: 'running' }, signal }),
    enabled: active,
    refetchInterval: active ? 1_000 : false,
  });
}

export function useRecentImports() {
  return useQuery({
    queryKey: ['registry', 'imports', 'recent'],
    queryFn: ({ signal }) => api<RegistryImport[]>('/registry/imports', { query: { pageSize: 10 }, signal }),
  });
}

/** An empty file of a type to fill in, its header row in the console's language. */
export function templateUrl(entity: RegistryEntity, lang: string): string {
  return apiUrl(`${base(entity)}/import/template`, { format: 'xlsx', lang });
}

export function errorReportUrl(importId: number, format: 'xlsx' | 'csv', lang: string): string {
  return apiUrl(`/registry/imports/${importId}/errors`, { format, lang });
}
