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
import type { RoutingRule, RoutingRuleInput } from '../../../shared/routing.ts';
import type { ImportReport } from '../../../shared/territory.ts';
import { api, apiUrl, type Page, type RequestOptions } from '../../api/client.ts';

/** The case list's filters as they travel: query parameters, as the address and the work page's links hold them. */
export type CaseListQuery = Partial<
  Record<keyof z.input<typeof caseListQuerySchema>, string | number | boolean>
>;
export type ReportCaseInput = z.input<typeof reportCaseSchema>;
export type CategoryTreeNode = Category & { children: Category[] };

export const caseKey = (id: number) => ['case', id] as const;

type Extra = Pick<RequestOptions, 'signal' | 'redirectOn401'>;

/**
 * The case calls as plain requests: the hooks below cache them, and the field view's outbox replays them
 * (with `redirectOn401: false`, so a lapsed session keeps the item for after the next login).
 */
export const caseRequests = {
  get: (id: number, extra: Extra = {}) => api<CaseDetail>(`/cases/${id}`, extra),
  report: (input: ReportCaseInput, extra: Extra = {}) =>
    api<CaseSummary>('/cases', { method: 'POST', body: input, ...extra }),
  act: (id: number, action: CaseActionName, body: Record<string, unknown>, extra: Extra = {}) =>
    api<CaseDetail>(`/cases/${id}/actions/${action}`, { method: 'POST', body, ...extra }),
};

export function useCaseList(query: CaseListQuery) {
  return useQuery({
    queryKey: ['cases', query],
    queryFn: ({ signal }) => api<Page<CaseSummary>>('/cases', { query: { ...query }, signal }),
    placeholderData: (previous) => previous,
  });
}

/** The list as filtered (without its paging), as XLSX in the console's language. */
export function casesExportUrl(query: CaseListQuery, lang: string): string {
  const { page: _page, pageSize: _size, ...filters } = query;
  return apiUrl('/cases/export', { ...filters, lang });
}

export function useCase(id: number) {
  return useQuery({
    queryKey: caseKey(id),
    queryFn: ({ signal }) => caseRequests.get(id, { signal }),
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
    mutationFn: (input: ReportCaseInput) => caseRequests.report(input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

export function useCaseAction(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: CaseActionName; body: Record<string, unknown> }) =>
      caseRequests.act(id, action, body),
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

/** Every category query (the trees the report form and these pages read) is refreshed after a change. */
const CATEGORIES = ['categories'] as const;

export function useSaveCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: Record<string, unknown> }) =>
      id === null
        ? api<Category>('/categories', { method: 'POST', body })
        : api<Category>(`/categories/${id}`, { method: 'PATCH', body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: CATEGORIES }),
  });
}

/**
 * Replaces a minor class's extra fields as a whole. The category's version moves with them, so the trees are
 * read again (the next save needs the new version).
 */
export function useSaveCategoryAttributes(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { version: number; attributes: CategoryAttribute[] }) =>
      api<CategoryAttribute[]>(`/categories/${id}/attributes`, { method: 'PUT', body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: CATEGORIES }),
  });
}

/**
 * Where the browser loads a photo of a case: naming the case lets the server check the reader's right to it in
 * one indexed look-up, instead of searching every case's history for the photo.
 */
export function evidenceUrl(id: string, options: { caseId: number; thumbnail?: boolean }): string {
  return apiUrl(`/evidence/${encodeURIComponent(id)}`, {
    caseId: options.caseId,
    variant: options.thumbnail ? 'thumbnail' : undefined,
  });
}

/** Where the browser downloads the whole category tree as CSV (a link, not a fetch: the browser saves it). */
export const categoryExportUrl = apiUrl('/categories/export');

/** Checks (dryRun) or applies a category CSV; a rejected file throws IMPORT_REJECTED with the report. */
export function useImportCategories() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ csv, dryRun }: { csv: string; dryRun: boolean }) =>
      api<ImportReport>('/categories/import', {
        method: 'POST',
        query: { dryRun },
        body: new Blob([csv], { type: 'text/csv' }),
      }),
    onSuccess: (report) => {
      if (report.applied) void queryClient.invalidateQueries({ queryKey: CATEGORIES });
    },
  });
}

const RULES = ['routingRules'] as const;

export function useRoutingRules() {
  return useQuery({
    queryKey: RULES,
    queryFn: ({ signal }) => api<RoutingRule[]>('/routing-rules', { signal }),
  });
}

export function useSaveRoutingRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: RoutingRuleInput }) =>
      id === null
        ? api<RoutingRule>('/routing-rules', { method: 'POST', body })
        : api<RoutingRule>(`/routing-rules/${id}`, { method: 'PUT', body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: RULES }),
  });
}

export function useDeleteRoutingRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<null>(`/routing-rules/${id}`, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: RULES }),
  });
}
