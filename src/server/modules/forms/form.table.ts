import type { ColumnType, Generated, Selectable } from 'kysely';
import type { FormDefinition, FormText } from '../../../shared/forms.ts';

type Json<T> = ColumnType<T, string, string>;

/** A form (表单): its code, title and owner region; the questions are in its versions. */
export interface FormTable {
  id: Generated<number>;
  code: string;
  title: Json<FormText>;
  region_code: string;
  county_code: string;
  created_by: number | null;
  synthetic: Generated<boolean>;
  row_version: Generated<number>;
  created_at: Date;
  updated_at: Date;
}
export type FormRow = Selectable<FormTable>;

/** One version of a form; published ones are frozen. */
export interface FormVersionTable {
  id: Generated<number>;
  form_id: number;
  version: number;
  title: Json<FormText>;
  definition: Json<FormDefinition>;
  published_at: Date | null;
  created_by: number | null;
  created_at: Date;
}
export type FormVersionRow = Selectable<FormVersionTable>;

export interface FormTables {
  forms: FormTable;
  form_versions: FormVersionTable;
}
