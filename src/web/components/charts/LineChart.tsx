import { useState } from 'react';
import { ChartFrame, chartTheme, Dot, type Hover, Legend, textWidth, valueTicks } from './frame.tsx';

export interface LineSeries {
  name: string;
  color: string;
  values: number[];
  /** Drawn as a bar per day rather than a line (a day's own count beside a running total). */
  bars?: boolean;
}

const MARGIN = { left: 40, right: 16, top: 8, bottom: 24 };

/**
 * A smooth path through the points that never overshoots them (monotone cubic, as d3's curveMonotoneX): a count
 * of cases drawn with a plain spline would dip below zero between a busy day and an empty one.
 */
export function monotonePath(points: ReadonlyArray<readonly [number, number]>): string {
  const [first] = points;
  if (!first) return '';
  const slope = (a: readonly [number, number], b: readonly [number, number]) => (b[1] - a[1]) / (b[0] - a[0]);
  // Each point's tangent: the secant at the ends, 0 at a peak or a trough, else bounded by both secants.
  const tangents = points.map((point, k) => {
    const before = points[k - 1];
    const after = points[k + 1];
    if (!before) return after ? slope(point, after) : 0;
    if (!after) return slope(before, point);
    const left = slope(before, point);
    const right = slope(point, after);
    if (left * right <= 0) return 0;
    const h0 = point[0] - before[0];
    const h1 = after[0] - point[0];
    const mean = (left * h1 + right * h0) / (h0 + h1);
    return Math.sign(left) * 2 * Math.min(Math.abs(left), Math.abs(right), 0.5 * Math.abs(mean));
  });
  let d = `M${first[0]},${first[1]}`;
  points.forEach(([x1, y1], k) => {
    const before = points[k - 1];
    if (!before) return;
    const [x0, y0] = before;
    const dx = (x1 - x0) / 3;
    d += `C${x0 + dx},${y0 + dx * (tangents[k - 1] ?? 0)},${x1 - dx},${y1 - dx * (tangents[k] ?? 0)},${x1},${y1}`;
  });
  return d;
}

/**
 * Counts over days as smooth lines (and bars), a legend above; hovering (or tapping) a day shows each series'
 * value. `max` raises the value axis to a known whole (a campaign's households), however far the counts are.
 */
export function LineChart({
  categories,
  series,
  height,
  max = 0,
  dark = false,
  label,
  testId,
}: {
  categories: string[];
  series: LineSeries[];
  height: number | string;
  max?: number;
  dark?: boolean;
  label: string;
  testId?: string;
}) {
  const theme = chartTheme(dark);
  const [hover, setHover] = useState<(Hover & { index: number }) | null>(null);
  const ticks = valueTicks(Math.max(max, ...series.flatMap((s) => s.values)));
  const barSeries = series.filter((s) => s.bars);
  const top = ticks[ticks.length - 1] ?? 1;
  return (
    <ChartFrame
      height={height}
      testId={testId}
      label={label}
      hover={hover}
      legend={<Legend items={series} theme={theme} />}
    >
      {({ width, height: h }) => {
        const plotWidth = Math.max(1, width - MARGIN.left - MARGIN.right);
        const plotHeight = Math.max(1, h - MARGIN.top - MARGIN.bottom);
        const band = plotWidth / Math.max(1, categories.length);
        const x = (i: number) => MARGIN.left + band * (i + 0.5);
        const y = (value: number) => MARGIN.top + plotHeight * (1 - value / top);
        // Every k-th day is named, so that the names do not run into each other.
        const every = Math.max(1, Math.ceil((textWidth(categories[0] ?? '') + 10) / band));
        const pick = (clientX: number, target: SVGGElement) => {
          const left = target.ownerSVGElement?.getBoundingClientRect().left ?? 0;
          const index = Math.floor((clientX - left - MARGIN.left) / band);
          if (index < 0 || index >= categories.length) return setHover(null);
          setHover({
            index,
            x: x(index),
            y: Math.min(...series.map((s) => y(s.values[index] ?? 0))),
            content: (
              <>
                <div>{categories[index]}</div>
                {series.map((s) => (
                  <div key={s.name}>
                    <Dot color={s.color} />
                    {s.name}：{s.values[index] ?? 0}
                  </div>
                ))}
              </>
            ),
          });
        };
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: a pointer's readout of the day under it (a tap on a phone); the chart's figures are the dashboard's own
          <g
            fontSize={12}
            onMouseMove={(event) => pick(event.clientX, event.currentTarget)}
            onClick={(event) => pick(event.clientX, event.currentTarget)}
            onMouseLeave={() => setHover(null)}
          >
            {/* Catches the pointer over the empty parts of the plot too. */}
            <rect x={MARGIN.left} y={MARGIN.top} width={plotWidth} height={plotHeight} fill="transparent" />
            {ticks.map((tick) => (
              <g key={tick}>
                <line
                  x1={MARGIN.left}
                  x2={width - MARGIN.right}
                  y1={y(tick)}
                  y2={y(tick)}
                  stroke={theme.grid}
                />
                <text x={MARGIN.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" fill={theme.text}>
                  {tick}
                </text>
              </g>
            ))}
            {categories.map((name, i) =>
              i % every === 0 ? (
                <text key={name} x={x(i)} y={h - 6} textAnchor="middle" fill={theme.text}>
                  {name}
                </text>
              ) : null,
            )}
            {hover && (
              <line
                x1={x(hover.index)}
                x2={x(hover.index)}
                y1={MARGIN.top}
                y2={MARGIN.top + plotHeight}
                stroke={theme.text}
                strokeDasharray="3 3"
              />
            )}
            {barSeries.map((s, k) => {
              const width = (band * 0.6) / barSeries.length;
              return (
                <g key={s.name} fill={s.color}>
                  {s.values.map((v, i) => (
                    <rect
                      key={categories[i]}
                      x={x(i) - band * 0.3 + k * width}
                      y={y(v)}
                      width={width}
                      height={Math.max(0, y(0) - y(v))}
                      rx={1}
                    />
                  ))}
                </g>
              );
            })}
            {series.map((s) =>
              s.bars ? null : (
                <g key={s.name}>
                  <path
                    d={monotonePath(s.values.map((v, i) => [x(i), y(v)]))}
                    fill="none"
                    stroke={s.color}
                    strokeWidth={2}
                  />
                  {hover && (
                    <circle cx={x(hover.index)} cy={y(s.values[hover.index] ?? 0)} r={4} fill={s.color} />
                  )}
                </g>
              ),
            )}
          </g>
        );
      }}
    </ChartFrame>
  );
}
