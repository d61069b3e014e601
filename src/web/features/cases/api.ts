import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  BulkAction,
  BulkOutcome,
  CaseActionName,
  CaseDetail,
  CaseSummary,
  Category,
  CategoryAttribute,
  caseListQuerySchema,
  reportCaseSchema,
} from '../../../shared/cases.ts';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/users.ts';

export type CaseListQuery = Partial<Omit<z.output<typeof caseListQuerySchema>, 'mine'> & { mine: boolean }>;
export type ReportCaseInput = z.input<typeof reportCaseSchema>;
export type CategoryTreeNode = Category & { children: Category[] };

export const caseKey = (id: number) => ['case', id] as const;

export function useCaseList(query: CaseListQuery) {
  return useQuery({
    queryKey: ['cases', query],
    queryFn: ({ signal }) => api<Page<CaseSummary>>('/cases', { query: { ...query }, signal }),
    placeholderData: (previous) => previous,
  });
}

export function useCase(id: number) {
  return useQuery({
    queryKey: caseKey(id),
    queryFn: ({ signal }) => api<CaseDetail>(`/cases/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useCategoryTree() {
  return useQuery({
    queryKey: ['categories', 'tree'],
    queryFn: ({ signal }) => api<CategoryTreeNode[]>('/categories', { signal }),
    staleTime: 5 * 60_000,
  });
}

export const ALL_CATEGORY_ATTRIBUTES_KEY = ['categories', 'attributes', 'all'] as const;

const NO_FIELDS: CategoryAttribute[] = [];

/**
 * The extra fields a report of the minor class asks for (none until a minor class is chosen). They are read
 * from one answer holding every class's fields, which the field view's service worker keeps, so a report made
 * offline asks for its class's fields too.
 */
export function useCategoryAttributes(categoryId: number | undefined) {
  return useQuery({
    queryKey: ALL_CATEGORY_ATTRIBUTES_KEY,
    queryFn: ({ signal }) => api<Record<string, CategoryAttribute[]>>('/categories/attributes', { signal }),
    staleTime: 5 * 60_000,
    select: (byCategory) =>
      categoryId === undefined ? NO_FIELDS : (byCategory[String(categoryId)] ?? NO_FIELDS),
  });
}

/** Open cases of the category near the point: shown before reporting, so the same problem is not reported twice. */
export function usePossibleDuplicates(near: { categoryId: number; lon: number; lat: number } | null) {
  return useQuery({
    queryKey: ['cases', 'duplicates', near],
    queryFn: () => api<CaseSummary[]>('/cases/duplicates', { query: near ?? {} }),
    enabled: near !== null,
    staleTime: 30_000,
  });
}

export function useReportCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ReportCaseInput) => api<CaseSummary>('/cases', { method: 'POST', body: input }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

export function useCaseAction(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: CaseActionName; body: Record<string, unknown> }) =>
      api<CaseDetail>(`/cases/${id}/actions/${action}`, { method: 'POST', body }),
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKey(id), detail);
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

export function useBulkAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      action,
      ...body
    }: {
      action: BulkAction;
      items: { id: number; version: number }[];
      input: Record<string, unknown>;
    }) => api<{ outcomes: BulkOutcome[] }>(`/cases/bulk/${action}`, { method: 'POST', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      void queryClient.invalidateQueries({ queryKey: ['case'] });
    },
  });
}

/** Hides the description or a photo of the case from the public (portal, Open311), with a reason. */
export function useModerateCase(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ mode, ...body }: { target: string; reason: string; mode: 'hide' | 'restore' }) =>
      api<CaseDetail>(`/cases/${id}/moderation${mode === 'restore' ? '/restore' : ''}`, {
        method: 'POST',
        body,
      }),
    onSuccess: (detail) => queryClient.setQueryData(caseKey(id), detail),
  });
}
