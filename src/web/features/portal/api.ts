import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AttributeValues } from '../../../shared/attributes.ts';
import type { PortalCategory, PortalReportAnswer, PublicTicket } from '../../../shared/portal.ts';
import { api, uploadEvidence } from '../../api/client.ts';
import type { GridFeatureCollection } from '../territory/api.ts';

/** The public portal's calls (/api/v1/public): no session, no login redirect. */

export function usePortalCategories() {
  return useQuery({
    queryKey: ['public', 'categories'],
    queryFn: ({ signal }) => api<PortalCategory[]>('/public/categories', { signal, redirectOn401: false }),
    staleTime: 10 * 60_000,
  });
}

export function usePortalGrids() {
  return useQuery({
    queryKey: ['public', 'grids'],
    queryFn: ({ signal }) => api<GridFeatureCollection>('/public/grids', { signal, redirectOn401: false }),
    staleTime: 10 * 60_000,
  });
}

/** A form token is fetched when the form opens; the server refuses a report sent sooner than a person could. */
export function fetchFormToken(): Promise<{ token: string }> {
  return api<{ token: string }>('/public/form-token', { redirectOn401: false });
}

export interface ReportDraft {
  categoryId: number;
  description: string;
  lon: number;
  lat: number;
  photos: Blob[];
  name?: string | undefined;
  phone?: string | undefined;
  website?: string | undefined;
  attributes: AttributeValues;
  formToken: string;
  clientKey: string;
}

/** Uploads the photos one by one (reporting progress), then sends the report. */
export async function sendReport(
  draft: ReportDraft,
  onProgress: (done: number, total: number) => void,
): Promise<PortalReportAnswer> {
  const photos: string[] = [];
  for (const [index, photo] of draft.photos.entries()) {
    onProgress(index, draft.photos.length);
    const { id } = await uploadEvidence(photo, '/public/photos');
    if (!photos.includes(id)) photos.push(id);
  }
  onProgress(draft.photos.length, draft.photos.length);
  const { photos: _blobs, name, phone, website, ...rest } = draft;
  return api<PortalReportAnswer>('/public/reports', {
    method: 'POST',
    redirectOn401: false,
    body: {
      ...rest,
      photos,
      ...(name ? { name } : {}),
      ...(phone ? { phone } : {}),
      ...(website ? { website } : {}),
    },
  });
}

export const ticketKey = (ticketNo: string) => ['public', 'ticket', ticketNo] as const;

export function useTicket(ticketNo: string) {
  return useQuery({
    queryKey: ticketKey(ticketNo),
    queryFn: ({ signal }) =>
      api<PublicTicket>(`/public/tickets/${encodeURIComponent(ticketNo)}`, { signal, redirectOn401: false }),
  });
}

export function useRate(ticketNo: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { score: number; comment?: string; ratingKey: string }) =>
      api<PublicTicket>(`/public/tickets/${encodeURIComponent(ticketNo)}/rating`, {
        method: 'POST',
        redirectOn401: false,
        body,
      }),
    onSuccess: (ticket) => queryClient.setQueryData(ticketKey(ticketNo), ticket),
  });
}

export function photoUrl(ticketNo: string, photoId: string, variant: 'original' | 'thumbnail' = 'original') {
  return `/api/v1/public/tickets/${encodeURIComponent(ticketNo)}/photos/${photoId}${variant === 'thumbnail' ? '?variant=thumbnail' : ''}`;
}
