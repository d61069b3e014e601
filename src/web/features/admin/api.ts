import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CalendarDayInput, CalendarYear, WorkingHoursInput } from '../../../shared/calendar.ts';
import type { Category, CategoryAttribute } from '../../../shared/cases.ts';
import type { RoutingRule, RoutingRuleInput } from '../../../shared/routing.ts';
import type { ImportReport } from '../../../shared/territory.ts';
import { api } from '../../api/client.ts';

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

const calendarKey = (year: number) => ['calendar', year] as const;

export function useCalendarYear(year: number) {
  return useQuery({
    queryKey: calendarKey(year),
    queryFn: ({ signal }) => api<CalendarYear>(`/calendar/${year}`, { signal }),
    placeholderData: (previous) => previous,
  });
}

/** Replaces a year's holidays and make-up workdays; the year counts as loaded from then on. */
export function useSaveCalendarYear() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ year, days }: { year: number; days: CalendarDayInput[] }) =>
      api<CalendarYear>(`/calendar/${year}`, { method: 'PUT', body: { days } }),
    onSuccess: (saved) => {
      queryClient.setQueryData(calendarKey(saved.year), saved);
      // Other years' answers carry the list of covered years, which has just changed.
      void queryClient.invalidateQueries({ queryKey: ['calendar'] });
    },
  });
}

export function useSaveWorkingHours() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (hours: WorkingHoursInput) =>
      api<WorkingHoursInput>('/calendar/working-hours', { method: 'PUT', body: hours }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['calendar'] }),
  });
}
