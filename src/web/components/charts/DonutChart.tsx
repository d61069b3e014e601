import { useState } from 'react';
import { ChartFrame, chartTheme, Dot, type Hover, Legend, paletteColor, pressable } from './frame.tsx';

export interface Slice {
  name: string;
  value: number;
}

/** A slice narrower than this (in radians) carries no count: it would not fit. */
const MIN_LABELLED_ANGLE = 0.3;

function arc(cx: number, cy: number, inner: number, outer: number, start: number, end: number): string {
  // A single slice of everything is drawn as two halves: an arc cannot start and end at the same point.
  if (end - start >= Math.PI * 2 - 1e-6) {
    const middle = start + Math.PI;
    return `${arc(cx, cy, inner, outer, start, middle)}${arc(cx, cy, inner, outer, middle, end)}`;
  }
  const at = (r: number, a: number) => `${cx + r * Math.sin(a)},${cy - r * Math.cos(a)}`;
  const large = end - start > Math.PI ? 1 : 0;
  return (
    `M${at(outer, start)}A${outer},${outer} 0 ${large} 1 ${at(outer, end)}` +
    `L${at(inner, end)}A${inner},${inner} 0 ${large} 0 ${at(inner, start)}Z`
  );
}

/**
 * Shares of a whole as a ring, clockwise from the top, each slice carrying its count and its name in the legend
 * below (so nothing is cut off on a phone); hovering a slice shows its name, count and share, a click opens it.
 */
export function DonutChart({
  slices,
  height,
  dark = false,
  label,
  testId,
  onClick,
}: {
  slices: Slice[];
  height: number | string;
  dark?: boolean;
  label: string;
  testId?: string;
  onClick?: (item: { dataIndex: number; name: string }) => void;
}) {
  const theme = chartTheme(dark);
  const [hover, setHover] = useState<(Hover & { index: number }) | null>(null);
  const total = slices.reduce((sum, s) => sum + s.value, 0);
  return (
    <ChartFrame
      height={height}
      testId={testId}
      label={label}
      hover={hover}
      legendAt="bottom"
      legend={
        <Legend items={slices.map((s, i) => ({ name: s.name, color: paletteColor(i) }))} theme={theme} />
      }
    >
      {({ width, height: h }) => {
        const cx = width / 2;
        const cy = h / 2;
        const outer = (Math.min(width, h) / 2) * 0.92;
        const inner = outer * 0.58;
        let start = 0;
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: the pointer leaving hides the tooltip
          <g onMouseLeave={() => setHover(null)}>
            {slices.map((slice, index) => {
              const angle = total > 0 ? (slice.value / total) * Math.PI * 2 : 0;
              const from = start;
              start += angle;
              if (angle === 0) return null;
              const middle = from + angle / 2;
              const labelRadius = (inner + outer) / 2;
              const share = ((slice.value / total) * 100).toFixed(1);
              const show = (event: { clientX: number; clientY: number; currentTarget: SVGElement }) => {
                const box = event.currentTarget.ownerSVGElement?.getBoundingClientRect();
                setHover({
                  index,
                  x: event.clientX - (box?.left ?? 0),
                  y: event.clientY - (box?.top ?? 0),
                  content: (
                    <>
                      <Dot color={paletteColor(index)} />
                      {slice.name}：{slice.value}（{share}%）
                    </>
                  ),
                });
              };
              const grown = hover?.index === index ? 4 : 0;
              return (
                // biome-ignore lint/a11y/noStaticElementInteractions: the hover only shows the tooltip; a slice that opens its cases is a button (pressable)
                <g
                  key={slice.name}
                  data-slice={slice.name}
                  aria-label={`${slice.name}：${slice.value}`}
                  onMouseMove={show}
                  {...pressable(onClick && (() => onClick({ dataIndex: index, name: slice.name })))}
                >
                  <path
                    d={arc(cx, cy, inner, outer + grown, from, from + angle)}
                    fill={paletteColor(index)}
                    stroke={dark ? '#07142b' : '#fff'}
                    strokeWidth={1}
                  />
                  {angle >= MIN_LABELLED_ANGLE && (
                    <text
                      x={cx + labelRadius * Math.sin(middle)}
                      y={cy - labelRadius * Math.cos(middle)}
                      dy="0.32em"
                      textAnchor="middle"
                      fontSize={12}
                      fontWeight="bold"
                      fill="#fff"
                      pointerEvents="none"
                    >
                      {slice.value}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        );
      }}
    </ChartFrame>
  );
}
