import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type {
  CalendarDayInput,
  CalendarYear,
  CalendarYearLoaded,
  DueAnswer,
  DueQuery,
  WorkingHoursInput,
  WorkingHoursSet,
} from '../../../shared/calendar.ts';
import { api } from '../../api/client.ts';

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
      api<CalendarYearLoaded>(`/calendar/${year}`, { method: 'PUT', body: { days } }),
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
      api<WorkingHoursSet>('/calendar/working-hours', { method: 'PUT', body: hours }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['calendar'] }),
  });
}

/** The deadline calculator: when a step starting at `start` with this limit is due (null: not asked yet). */
export function useDueCalculation(query: DueQuery | null) {
  return useQuery({
    queryKey: ['calendar', 'due', query],
    queryFn: ({ signal }) => api<DueAnswer>('/calendar/due', { signal, query: query ?? {} }),
    enabled: query !== null,
  });
}

/** A saved message, with how many open deadlines the change moved when any did. */
export function withMoved(text: string, moved: number, t: TFunction): string {
  return moved > 0 ? `${text} · ${t('calendar.moved', { count: moved })}` : text;
}
