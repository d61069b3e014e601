import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import { App, Button, Image, Space, Spin } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, uploadEvidence } from '../api/client.ts';

/**
 * A form control for photos: each chosen file (or camera shot on a phone) is uploaded at once and the
 * control's value is the list of evidence ids the workflow action sends.
 */
export function PhotoUpload({
  value = [],
  onChange,
  max = 9,
}: {
  value?: string[];
  onChange?: (ids: string[]) => void;
  max?: number;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);

  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    const ids = [...value];
    try {
      for (const file of [...files].slice(0, max - ids.length)) {
        const { id } = await uploadEvidence(file);
        if (!ids.includes(id)) ids.push(id);
      }
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
      onChange?.(ids);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <Space wrap align="start">
      {value.map((id) => (
        <Space key={id} direction="vertical" size={2} align="center">
          <Image
            src={`/api/v1/evidence/${id}?variant=thumbnail`}
            preview={{ src: `/api/v1/evidence/${id}` }}
            width={72}
            height={72}
            style={{ objectFit: 'cover' }}
          />
          <Button
            size="small"
            type="text"
            icon={<DeleteOutlined />}
            aria-label={t('cases.photos.remove')}
            onClick={() => onChange?.(value.filter((other) => other !== id))}
          />
        </Space>
      ))}
      {value.length < max ? (
        <Spin spinning={busy}>
          <Button icon={<CameraOutlined />} onClick={() => input.current?.click()} data-testid="photo-upload">
            {t('cases.photos.add')}
          </Button>
        </Spin>
      ) : null}
      <input
        ref={input}
        type="file"
        accept="image/jpeg,image/png,image/webp"
        capture="environment"
        multiple
        style={{ display: 'none' }}
        onChange={(event) => void add(event.target.files)}
      />
    </Space>
  );
}
