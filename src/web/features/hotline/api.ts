import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { HotlineImportResult, HotlineMapping, HotlinePreview } from '../../../shared/hotline.ts';
import { api, apiUrl } from '../../api/client.ts';

export interface HotlineUpload {
  file: File;
  mapping: HotlineMapping;
  crs: 'wgs84' | 'gcj02';
}

function send<T>(path: string, { file, mapping, crs }: HotlineUpload): Promise<T> {
  return api<T>(path, {
    method: 'POST',
    query: { fileName: file.name, mapping: JSON.stringify(mapping), crs },
    // Sent as plain bytes whatever the browser calls the file (Windows calls a .csv an Excel file).
    body: file.slice(0, file.size, 'application/octet-stream'),
  });
}

export function useHotlinePreview() {
  return useMutation({
    mutationFn: (upload: HotlineUpload) => send<HotlinePreview>('/hotline/preview', upload),
  });
}

export function useHotlineImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (upload: HotlineUpload) => send<HotlineImportResult>('/hotline/imports', upload),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

export function errorReportUrl(importId: number, format: 'xlsx' | 'csv', lang: string): string {
  return apiUrl(`/hotline/imports/${importId}/errors`, { format, lang });
}
