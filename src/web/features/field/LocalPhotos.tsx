import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import { Button, Image, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Photos kept on the phone until the outbox sends them (PhotoUpload uploads at once, which needs a network).
 * On a phone the button opens the rear camera.
 */
export function LocalPhotos({
  value = [],
  onChange,
  max = 4,
}: {
  value?: Blob[];
  onChange?: (photos: Blob[]) => void;
  max?: number;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const urls = useMemo(() => value.map((photo) => URL.createObjectURL(photo)), [value]);
  useEffect(
    () => () => {
      for (const url of urls) URL.revokeObjectURL(url);
    },
    [urls],
  );

  const add = (files: FileList | null) => {
    if (files?.length) onChange?.([...value, ...[...files]].slice(0, max));
    if (input.current) input.current.value = '';
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {value.length ? (
        <Space wrap>
          {urls.map((url, index) => (
            <div key={url} className="gg-field-photo">
              <Image src={url} width={88} height={88} style={{ objectFit: 'cover', borderRadius: 6 }} />
              <Button
                size="small"
                shape="circle"
                icon={<DeleteOutlined />}
                aria-label={t('localPhotos.remove')}
                className="gg-field-photo-remove"
                onClick={() => onChange?.(value.filter((_, i) => i !== index))}
              />
            </div>
          ))}
        </Space>
      ) : null}
      {value.length < max ? (
        <Button
          block
          icon={<CameraOutlined />}
          onClick={() => input.current?.click()}
          data-testid="field-photo"
        >
          {t('localPhotos.take')}
        </Button>
      ) : null}
      <Typography.Text type="secondary">
        {t('localPhotos.count', { count: value.length, max })}
      </Typography.Text>
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        style={{ display: 'none' }}
        data-testid="field-photo-input"
        onChange={(event) => add(event.target.files)}
      />
    </Space>
  );
}
