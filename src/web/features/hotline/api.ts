import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  HotlineAgencyMapping,
  HotlineImportResult,
  HotlineMapping,
  HotlinePreview,
} from '../../../shared/hotline.ts';
import { api, apiUrl } from '../../api/client.ts';

export interface HotlineUpload {
  file: File;
  mapping: HotlineMapping;
  crs: 'wgs84' | 'gcj02';
  timeZone: string;
  dateOrder: 'mdy' | 'dmy';
  source: string;
  /** Agency → department chosen in the wizard, over the mapping remembered for the source. */
  agencies: HotlineAgencyMapping;
}

function send<T>(path: string, upload: HotlineUpload): Promise<T> {
  const { file, mapping, crs, timeZone, dateOrder, source, agencies } = upload;
  return api<T>(path, {
    method: 'POST',
    query: {
      fileName: file.name,
      mapping: JSON.stringify(mapping),
      crs,
      timeZone,
      dateOrder,
      source,
      agencies: JSON.stringify(agencies),
    },
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
