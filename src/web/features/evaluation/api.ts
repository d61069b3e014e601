import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SatisfactionIndicator, SatisfactionQuery } from '../../../shared/evaluation.ts';
import { api } from '../../api/client.ts';

/** 满意度评价 of the reader's scope (GET /indicators/satisfaction); the previous answer stays while a new loads. */
export function useSatisfaction(query: SatisfactionQuery) {
  return useQuery({
    queryKey: ['indicators', 'satisfaction', query],
    queryFn: ({ signal }) =>
      api<SatisfactionIndicator>('/indicators/satisfaction', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}
