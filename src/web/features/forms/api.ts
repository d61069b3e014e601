import { useQuery } from '@tanstack/react-query';
import type {
  CreateFormInput,
  FormDefinition,
  FormDetail,
  FormSummary,
  FormText,
  FormVersion,
  XlsformImportResult,
} from '../../../shared/forms.ts';
import { api } from '../../api/client.ts';

export const FORMS = ['forms'] as const;

export function useForms(q?: string) {
  return useQuery({
    queryKey: [...FORMS, 'list', q ?? ''],
    queryFn: ({ signal }) => api<FormSummary[]>('/forms', { query: q ? { q } : {}, signal }),
  });
}

export function useForm(id: number) {
  return useQuery({
    queryKey: [...FORMS, id],
    queryFn: ({ signal }) => api<FormDetail>(`/forms/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

/** One version's questions, e.g. a campaign's form on the phone (cached by the service worker's API cache). */
export function useFormVersion(id: number | null) {
  return useQuery({
    queryKey: [...FORMS, 'version', id],
    queryFn: ({ signal }) => api<FormVersion>(`/form-versions/${id}`, { signal }),
    enabled: id !== null && id > 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export const formRequests = {
  create: (input: CreateFormInput) => api<FormDetail>('/forms', { method: 'POST', body: input }),
  save: (id: number, input: { title?: FormText; definition: FormDefinition; rowVersion: number }) =>
    api<FormDetail>(`/forms/${id}`, { method: 'PUT', body: input }),
  publish: (id: number, rowVersion: number) =>
    api<FormDetail>(`/forms/${id}/publish`, { method: 'POST', body: { rowVersion } }),
  importXlsform: (file: Blob, query: { code?: string; dryRun?: boolean }) =>
    api<XlsformImportResult>('/forms/import', {
      method: 'POST',
      body: file,
      query: { ...(query.code ? { code: query.code } : {}), ...(query.dryRun ? { dryRun: 'true' } : {}) },
    }),
};
