import { useQueryClient } from '@tanstack/react-query';
import { Alert, Spin, Tree, type TreeDataNode } from 'antd';
import { useEffect, useState } from 'react';
import type { RegionSummary, RegionTreeNode } from '../../../shared/territory.ts';
import { errorText } from '../../api/client.ts';
import { fetchRegion, regionKey, useRegionTree } from './api.ts';

interface RegionNode extends TreeDataNode {
  key: string;
  region: RegionSummary;
  children?: RegionNode[];
}

function toNode(region: RegionSummary & { childCount: number; children?: RegionTreeNode[] }): RegionNode {
  const children = region.children?.length ? region.children.map(toNode) : undefined;
  return {
    key: region.code,
    title: region.name,
    region,
    isLeaf: region.childCount === 0,
    children,
  };
}

function withChildren(nodes: RegionNode[], code: string, children: RegionNode[]): RegionNode[] {
  return nodes.map((node) => {
    if (node.key === code) return { ...node, children, isLeaf: children.length === 0 };
    if (node.children) return { ...node, children: withChildren(node.children, code, children) };
    return node;
  });
}

/** The region tree from the user's scope down; deeper levels load when a node is opened. */
export function RegionTree({
  selected,
  onSelect,
}: {
  selected: string | null;
  onSelect: (region: RegionSummary) => void;
}) {
  const queryClient = useQueryClient();
  const tree = useRegionTree();
  const [nodes, setNodes] = useState<RegionNode[]>([]);
  const [expanded, setExpanded] = useState<string[]>([]);

  useEffect(() => {
    if (!tree.data) return;
    setNodes(tree.data.map(toNode));
    // Open the roots, and an only child too (a community's one first-level grid), so grids are in sight.
    const opened = tree.data.flatMap((root) => [
      root.code,
      ...(root.children.length === 1 && root.children[0] ? [root.children[0].code] : []),
    ]);
    setExpanded((current) => (current.length ? current : opened));
  }, [tree.data]);

  if (tree.isPending) return <Spin />;
  if (tree.isError) return <Alert type="error" showIcon title={errorText(tree.error)} />;

  const loadData = async (node: RegionNode) => {
    if (node.children) return;
    const detail = await queryClient.fetchQuery({
      queryKey: regionKey(node.key),
      queryFn: ({ signal }) => fetchRegion(node.key, signal),
      staleTime: 30_000,
    });
    setNodes((current) => withChildren(current, node.key, detail.children.map(toNode)));
  };

  return (
    <Tree<RegionNode>
      blockNode
      showLine
      treeData={nodes}
      loadData={loadData}
      expandedKeys={expanded}
      onExpand={(keys) => setExpanded(keys.map(String))}
      selectedKeys={selected ? [selected] : []}
      onSelect={(_keys, info) => onSelect(info.node.region)}
    />
  );
}
