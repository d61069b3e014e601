import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../../shared/cases.ts';
import { useCategoryTree } from './api.ts';

/**
 * The category tree as TreeSelect options: major classes only group (their values cannot collide with a
 * minor class's id), minor classes are chosen by id. `minors` finds a chosen minor class's name and code.
 */
export function useCategoryOptions() {
  const { t } = useTranslation();
  const tree = useCategoryTree();
  const options = useMemo(
    () =>
      (tree.data ?? []).map((major) => ({
        value: `major-${major.id}`,
        title: t('common.nameWithCode', { name: major.name, code: major.code }),
        selectable: false,
        children: major.children.map((minor) => ({
          value: minor.id,
          title: t('common.nameWithCode', { name: minor.name, code: minor.code }),
        })),
      })),
    [tree.data, t],
  );
  const minors = useMemo(
    () =>
      new Map<number, Category>(
        (tree.data ?? []).flatMap((major) => major.children.map((minor) => [minor.id, minor] as const)),
      ),
    [tree.data],
  );
  return { options, minors, isLoading: tree.isLoading };
}
