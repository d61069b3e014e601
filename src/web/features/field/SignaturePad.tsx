import { ClearOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

const HEIGHT = 180;

/**
 * A box the person in charge signs in with a finger. Each stroke ends by handing back the drawing as a PNG
 * (it is uploaded as evidence with the visit); Clear starts again.
 */
export function SignaturePad({
  value,
  onChange,
}: {
  value?: Blob | null;
  onChange?: (signature: Blob | null) => void;
}) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    // Drawn at the screen's pixel density, so the strokes are sharp on a phone.
    const ratio = window.devicePixelRatio || 1;
    element.width = element.clientWidth * ratio;
    element.height = HEIGHT * ratio;
    const context = element.getContext('2d');
    if (!context) return;
    context.scale(ratio, ratio);
    context.fillStyle = '#fff';
    context.fillRect(0, 0, element.clientWidth, HEIGHT);
    context.lineWidth = 2.5;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.strokeStyle = '#111';
  }, []);

  // Cleared from outside (the form reset): the drawing goes too.
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (value || !element || !context) return;
    context.fillRect(0, 0, element.clientWidth, HEIGHT);
  }, [value]);

  const at = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };

  const stroke = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
    last.current = to;
  };

  const draw = (event: React.PointerEvent<HTMLCanvasElement>) => {
    if (last.current) stroke(last.current, at(event));
  };

  const end = () => {
    if (!last.current) return;
    last.current = null;
    canvas.current?.toBlob((blob) => onChange?.(blob), 'image/png');
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <canvas
        ref={canvas}
        className="gg-field-signature"
        style={{ height: HEIGHT }}
        aria-label={t('fieldInspections.visit.signatureHint')}
        data-testid="signature-pad"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          const point = at(event);
          // A tap is a dot.
          stroke(point, { x: point.x + 0.5, y: point.y });
        }}
        onPointerMove={draw}
        onPointerUp={end}
        onPointerCancel={end}
      />
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">{t('fieldInspections.visit.signatureHint')}</Typography.Text>
        <Button
          size="small"
          icon={<ClearOutlined />}
          disabled={!value}
          onClick={() => onChange?.(null)}
          data-testid="signature-clear"
        >
          {t('fieldInspections.visit.clearSignature')}
        </Button>
      </Space>
    </Space>
  );
}
