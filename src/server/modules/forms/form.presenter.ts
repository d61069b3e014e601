import type { FormDetail, FormSummary, FormVersion } from '../../../shared/forms.ts';
import type { FormWithAuthor, VersionHead } from './form.repository.ts';
import type { FormRow, FormVersionRow } from './form.table.ts';

/** A form in lists: its newest version and its newest published one (what campaigns use). */
export function presentFormSummary(
  form: FormWithAuthor,
  heads: readonly VersionHead[],
  editable: boolean,
): FormSummary {
  const latest = heads[heads.length - 1];
  const published = heads.filter((h) => h.published_at !== null).at(-1);
  return {
    id: form.id,
    code: form.code,
    title: form.title,
    regionCode: form.region_code,
    questionCount: latest?.question_count ?? 0,
    latestVersion: latest?.version ?? 0,
    publishedVersion: published?.version ?? null,
    publishedVersionId: published?.id ?? null,
    synthetic: form.synthetic,
    editable,
    rowVersion: form.row_version,
    createdBy: form.created_by_name ?? '',
    updatedAt: form.updated_at.toISOString(),
  };
}

export function presentFormVersion(form: Pick<FormRow, 'id' | 'code'>, row: FormVersionRow): FormVersion {
  return {
    id: row.id,
    formId: form.id,
    formCode: form.code,
    version: row.version,
    title: row.title,
    definition: row.definition,
    publishedAt: row.published_at?.toISOString() ?? null,
  };
}

export function presentFormDetail(
  form: FormWithAuthor,
  heads: readonly VersionHead[],
  current: FormVersionRow,
  editable: boolean,
): FormDetail {
  return {
    ...presentFormSummary(form, heads, editable),
    current: presentFormVersion(form, current),
    versions: heads.map((h) => ({
      id: h.id,
      version: h.version,
      publishedAt: h.published_at?.toISOString() ?? null,
    })),
  };
}
