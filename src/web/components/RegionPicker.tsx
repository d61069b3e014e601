import { useQueryClient } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { type CSSProperties, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegionTreeNode } from '../../shared/territory.ts';
import { fetchRegion, regionKey, useRegionTree } from '../features/territory/api.ts';

interface Option {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
}

function flatten(
  nodes: RegionTreeNode[],
  out: Option[],
  nameWithCode: (n: RegionTreeNode) => string,
): Option[] {
  for (const node of nodes) {
    out.push({
      id: node.code,
      pId: node.parentCode,
      value: node.code,
      title: nameWithCode(node),
      isLeaf: node.childCount === 0,
    });
    flatten(node.children ?? [], out, nameWithCode);
  }
  return out;
}

/** Chooses a region (or grid) from the tree the user may see; deeper levels load on demand. */
export function RegionPicker({
  value,
  onChange,
  currentLabel,
  id,
  placeholder,
  style,
}: {
  value?: string | undefined;
  /** Called with undefined when a filter's choice is cleared. */
  onChange?: (value: string | undefined) => void;
  /** Label of the current value when it is deeper than the part of the tree already loaded. */
  currentLabel?: string;
  id?: string;
  /** Given for a filter: the picker can then be cleared, and shows this text when empty. */
  placeholder?: string;
  style?: CSSProperties;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tree = useRegionTree();
  const [loaded, setLoaded] = useState<Option[]>([]);
  const label = useCallback(
    (region: { name: string; code: string }) =>
      t('common.nameWithCode', { name: region.name, code: region.code }),
    [t],
  );

  useEffect(() => {
    if (tree.data) setLoaded(flatten(tree.data, [], label));
  }, [tree.data, label]);

  const options = useMemo(() => {
    if (!value || loaded.some((option) => option.value === value)) return loaded;
    // A node whose parent is not loaded becomes a root of the simple-mode tree.
    return [
      ...loaded,
      {
        id: value,
        pId: null,
        value,
        title: currentLabel ? label({ name: currentLabel, code: value }) : value,
        isLeaf: true,
      },
    ];
  }, [loaded, value, currentLabel, label]);

  const loadData = async (node: { value?: unknown }) => {
    const code = String(node.value);
    if (loaded.some((option) => option.pId === code)) return;
    const detail = await queryClient.fetchQuery({
      queryKey: regionKey(code),
      queryFn: ({ signal }) => fetchRegion(code, signal),
      staleTime: 30_000,
    });
    setLoaded((current) => [
      ...current,
      ...detail.children
        .filter((child) => !current.some((option) => option.value === child.code))
        .map((child) => ({
          id: child.code,
          pId: code,
          value: child.code,
          title: label(child),
          isLeaf: child.childCount === 0,
        })),
    ]);
  };

  return (
    <TreeSelect
      // Re-mounted once the tree arrives, so that its roots open by default.
      key={tree.data ? 'loaded' : 'loading'}
      treeDefaultExpandedKeys={tree.data?.map((root) => root.code)}
      id={id}
      value={value}
      onChange={(next: string | undefined) => onChange?.(next)}
      allowClear={placeholder !== undefined}
      placeholder={placeholder}
      treeDataSimpleMode
      treeData={options}
      loadData={loadData}
      loading={tree.isPending}
      showSearch={{ treeNodeFilterProp: 'title' }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { minWidth: 320 } } }}
      style={style ?? { width: '100%' }}
    />
  );
}
