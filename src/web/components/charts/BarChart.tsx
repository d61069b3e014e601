import { useState } from 'react';
import { ChartFrame, chartTheme, type Hover, pressable, textWidth, valueTicks } from './frame.tsx';

export interface Bar {
  name: string;
  value: number;
}

const MARGIN = { right: 36, top: 4, bottom: 22 };
const ELLIPSIS = '…';

/** The name cut to fit `width` pixels, with an ellipsis when it was cut (the tooltip names it whole). */
function clip(name: string, width: number): string {
  if (textWidth(name) <= width) return name;
  let cut = name;
  while (cut.length > 1 && textWidth(cut + ELLIPSIS) > width) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

/**
 * A ranked list as horizontal bars, largest first from the top, each named on the left and counted at its end;
 * hovering a bar shows its whole name and count, a click opens it.
 */
export function BarChart({
  bars,
  color,
  height,
  dark = false,
  label,
  testId,
  onClick,
}: {
  bars: Bar[];
  color: string;
  height: number | string;
  dark?: boolean;
  label: string;
  testId?: string;
  onClick?: (item: { dataIndex: number; name: string }) => void;
}) {
  const theme = chartTheme(dark);
  const [hover, setHover] = useState<(Hover & { index: number }) | null>(null);
  const ticks = valueTicks(Math.max(0, ...bars.map((b) => b.value)), 4);
  const top = ticks[ticks.length - 1] ?? 1;
  return (
    <ChartFrame height={height} testId={testId} label={label} hover={hover}>
      {({ width, height: h }) => {
        // The names take what they need, up to two fifths of the width.
        const nameWidth = Math.min(width * 0.4, Math.max(0, ...bars.map((b) => textWidth(b.name))));
        const left = nameWidth + 12;
        const plotWidth = Math.max(1, width - left - MARGIN.right);
        const plotHeight = Math.max(1, h - MARGIN.top - MARGIN.bottom);
        const band = plotHeight / Math.max(1, bars.length);
        const barHeight = Math.min(24, band * 0.6);
        const x = (value: number) => left + plotWidth * (value / top);
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: the pointer leaving hides the tooltip
          <g fontSize={12} onMouseLeave={() => setHover(null)}>
            {ticks.map((tick) => (
              <g key={tick}>
                <line
                  x1={x(tick)}
                  x2={x(tick)}
                  y1={MARGIN.top}
                  y2={MARGIN.top + plotHeight}
                  stroke={theme.grid}
                />
                <text x={x(tick)} y={h - 6} textAnchor="middle" fill={theme.text}>
                  {tick}
                </text>
              </g>
            ))}
            {bars.map((bar, index) => {
              const middle = MARGIN.top + band * (index + 0.5);
              return (
                // biome-ignore lint/a11y/noStaticElementInteractions: the hover only shows the tooltip; a bar that opens its cases is a button (pressable)
                <g
                  key={bar.name}
                  data-bar={bar.name}
                  aria-label={`${bar.name}：${bar.value}`}
                  onMouseMove={() =>
                    setHover({ index, x: x(bar.value), y: middle, content: `${bar.name}：${bar.value}` })
                  }
                  {...pressable(onClick && (() => onClick({ dataIndex: index, name: bar.name })))}
                >
                  {/* The whole row answers the pointer, not only the bar: a short bar is hard to hit. */}
                  <rect x={0} y={middle - band / 2} width={width} height={band} fill="transparent" />
                  <text x={nameWidth + 4} y={middle} dy="0.32em" textAnchor="end" fill={theme.text}>
                    {clip(bar.name, nameWidth)}
                  </text>
                  <rect
                    x={left}
                    y={middle - barHeight / 2}
                    width={Math.max(0, x(bar.value) - left)}
                    height={barHeight}
                    rx={2}
                    fill={color}
                    opacity={hover && hover.index !== index ? 0.75 : 1}
                  />
                  <text x={x(bar.value) + 4} y={middle} dy="0.32em" fill={theme.text}>
                    {bar.value}
                  </text>
                </g>
              );
            })}
          </g>
        );
      }}
    </ChartFrame>
  );
}
