import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Table, type TableProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type CSSProperties, type ReactNode, useState } from 'react';
import { errorText } from '../api/client.ts';

/** What a column's render can do besides showing the row: open it in the editor. */
export interface AdminTableActions<T> {
  edit: (row: T) => void;
}

/**
 * The frame of a settings screen: a card with a create button, an optional intro and toolbar, the list's error,
 * the table, and one editor (a modal or drawer) for a new row or the row being edited.
 */
export function AdminTable<T extends { id: number }>(props: {
  title: ReactNode;
  /** The create button's label; no button without it. */
  createLabel?: string;
  /** The create button as an ordinary (not primary) one, on a card that is not the page's main one. */
  secondaryCreate?: boolean;
  intro?: ReactNode;
  toolbar?: ReactNode;
  rows: readonly T[] | undefined;
  loading: boolean;
  error: unknown;
  columns: (actions: AdminTableActions<T>) => ColumnsType<T>;
  pagination?: TableProps<T>['pagination'];
  size?: TableProps<T>['size'];
  emptyText?: string;
  /** The editor of a new row (`null`) or of the row chosen with `edit`; `close` ends the editing. */
  editor?: (row: T | null, close: () => void) => ReactNode;
  /** Under the table: the screen's other dialogs and lists. */
  children?: ReactNode;
  style?: CSSProperties;
}) {
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const close = () => setEditing(null);
  return (
    <Card
      title={props.title}
      style={props.style}
      extra={
        props.createLabel ? (
          <Button
            type={props.secondaryCreate ? 'default' : 'primary'}
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
          >
            {props.createLabel}
          </Button>
        ) : null
      }
    >
      {props.intro}
      {props.toolbar}
      {props.error ? (
        <Alert type="error" showIcon title={errorText(props.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Table<T>
        rowKey="id"
        size={props.size}
        loading={props.loading}
        dataSource={props.rows ? [...props.rows] : []}
        pagination={props.pagination ?? false}
        locale={props.emptyText ? { emptyText: props.emptyText } : undefined}
        columns={props.columns({ edit: setEditing })}
      />
      {editing && props.editor ? props.editor(editing === 'new' ? null : editing, close) : null}
      {props.children}
    </Card>
  );
}
