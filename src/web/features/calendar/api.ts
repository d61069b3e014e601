import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CalendarDayInput, CalendarYear, WorkingHoursInput } from '../../../shared/calendar.ts';
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
