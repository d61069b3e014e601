import {
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

/**
 * What the dashboard's three SVG charts share: the box they measure, their colours in the light console and on
 * the dark wall, the value axis's ticks, and the hover tooltip. Drawn by hand rather than with a chart library:
 * a line, a ring and a bar list are a few hundred lines, where ECharts cost the dashboard 153 KB of its first
 * load (issue 15's page-weight target).
 */

/** The colour of the `index`-th series or slice. */
export const paletteColor = (index: number): string => PALETTE[index % PALETTE.length] ?? '#5470c6';

/**
 * What makes a chart's part (a slice, a bar) open its cases: a click, or Enter or Space when it has the focus. A
 * part that opens nothing is left a plain drawing.
 */
export function pressable(onPress: (() => void) | undefined) {
  if (!onPress) return {};
  return {
    role: 'button',
    tabIndex: 0,
    style: { cursor: 'pointer' },
    onClick: onPress,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      onPress();
    },
  } as const;
}

/** The default series colours (those of the console's earlier charts, so the wall looks as it did). */
export const PALETTE = [
  '#5470c6',
  '#91cc75',
  '#fac858',
  '#ee6666',
  '#73c0de',
  '#3ba272',
  '#fc8452',
  '#9a60b4',
];

export interface ChartTheme {
  text: string;
  grid: string;
}

export const chartTheme = (dark: boolean): ChartTheme =>
  dark ? { text: '#c9d6ee', grid: 'rgba(201, 214, 238, 0.16)' } : { text: '#595959', grid: '#f0f0f0' };

/**
 * The box's size in CSS pixels, following it as the page resizes. Measured before the browser paints, so a chart
 * is drawn in the page's first frame rather than one frame after its empty box.
 */
export function useBoxSize(ref: RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const { width, height } = element.getBoundingClientRect();
      setSize((old) =>
        Math.round(old.width) === Math.round(width) && Math.round(old.height) === Math.round(height)
          ? old
          : { width, height },
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

/** Ticks from 0 at a step of 1, 2 or 5 × 10ⁿ (whole numbers: the charts count cases), about `count` of them. */
export function valueTicks(max: number, count = 5): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power);
  const ticks = [0];
  for (let value = step; value - step < max; value += step) ticks.push(value);
  return ticks;
}

/** Roughly how wide a label is drawn at 12 px: a Chinese character is square, a Latin one about half. */
export function textWidth(text: string, fontSize = 12): number {
  let width = 0;
  for (const char of text) width += char.charCodeAt(0) > 0x2e80 ? fontSize : fontSize * 0.6;
  return width;
}

export interface Hover {
  x: number;
  y: number;
  content: ReactNode;
}

const tooltipStyle: CSSProperties = {
  position: 'absolute',
  pointerEvents: 'none',
  background: 'rgba(0, 0, 0, 0.78)',
  color: '#fff',
  borderRadius: 6,
  padding: '4px 8px',
  fontSize: 12,
  lineHeight: '18px',
  whiteSpace: 'nowrap',
  zIndex: 2,
};

/**
 * The chart's box: a measured area for the SVG, with the tooltip of what the pointer is over placed beside the
 * pointer. `legend` goes above or below the drawing.
 */
export function ChartFrame({
  height,
  testId,
  label,
  hover,
  legend,
  legendAt = 'top',
  children,
}: {
  height: number | string;
  testId?: string;
  label: string;
  hover: Hover | null;
  legend?: ReactNode;
  legendAt?: 'top' | 'bottom';
  children: (size: { width: number; height: number }) => ReactNode;
}) {
  const area = useRef<HTMLDivElement>(null);
  const size = useBoxSize(area);
  return (
    <div
      data-testid={testId}
      className="gg-chart"
      style={{ width: '100%', height, display: 'flex', flexDirection: 'column' }}
    >
      {legendAt === 'top' && legend}
      <div ref={area} style={{ position: 'relative', flex: 1, minHeight: 0 }}>
        {size.width > 0 && size.height > 0 && (
          <svg
            width={size.width}
            height={size.height}
            role="img"
            aria-label={label}
            style={{ display: 'block', overflow: 'visible' }}
          >
            {children(size)}
          </svg>
        )}
        {hover && (
          <div
            role="tooltip"
            style={{
              ...tooltipStyle,
              // Beside the pointer, on the side with more room, so that it stays inside the box.
              ...(hover.x < size.width / 2 ? { left: hover.x + 12 } : { right: size.width - hover.x + 12 }),
              top: Math.max(0, hover.y - 36),
            }}
          >
            {hover.content}
          </div>
        )}
      </div>
      {legendAt === 'bottom' && legend}
    </div>
  );
}

/** The series' names with their colours, in a wrapping row. */
export function Legend({
  items,
  theme,
}: {
  items: Array<{ name: string; color: string }>;
  theme: ChartTheme;
}) {
  return (
    <div
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        justifyContent: 'center',
        gap: '2px 12px',
        padding: '2px 0',
        fontSize: 12,
        color: theme.text,
      }}
    >
      {items.map((item) => (
        <span key={item.name} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
          <span style={{ width: 14, height: 8, borderRadius: 2, background: item.color }} />
          {item.name}
        </span>
      ))}
    </div>
  );
}

/** The tooltip's coloured marker before a series' value. */
export const Dot = ({ color }: { color: string }) => (
  <span
    style={{
      display: 'inline-block',
      width: 8,
      height: 8,
      borderRadius: 4,
      background: color,
      marginRight: 6,
    }}
  />
);
