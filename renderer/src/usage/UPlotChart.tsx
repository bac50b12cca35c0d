import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** The theme's colours, read from its CSS variables when a chart is drawn (a canvas cannot use them itself). */
export interface ChartColors {
  fg: string;
  muted: string;
  grid: string;
  accent: string;
  danger: string;
  warning: string;
  ok: string;
  panel: string;
}

function themeColors(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--fg', '#1d1d1f'),
    muted: v('--fg-muted', '#62636a'),
    grid: v('--border', '#dcdcd8'),
    accent: v('--accent', '#3a5bd9'),
    danger: v('--danger', '#c0342b'),
    warning: v('--warning', '#a86400'),
    ok: v('--ok', '#23834a'),
    panel: v('--bg-panel', '#ffffff'),
  };
}

/**
 * The theme applied to the page (`<html data-theme>`). Watched on the element rather than taken from the theme
 * context: the provider applies the attribute in its own effect, after the charts' effects have run, and a chart
 * drawn then would read the previous theme's colours.
 */
function subscribeTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
const appliedTheme = () => document.documentElement.dataset.theme ?? '';

/**
 * One uPlot chart, sized to its box and redrawn in the theme's colours when the theme changes. uPlot draws on a
 * canvas, which a screen reader cannot read: the box is an image named by `label` and described by the element
 * `describedBy` (the chart's summary sentence); every chart of the dashboard has a table alternative beside it.
 */
export function UPlotChart(props: {
  options: (colors: ChartColors, width: number, height: number) => Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  label: string;
  describedBy?: string;
  height?: number;
}) {
  const { options, data, label, describedBy } = props;
  const height = props.height ?? 220;
  const box = useRef<HTMLDivElement | null>(null);
  const theme = useSyncExternalStore(subscribeTheme, appliedTheme);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    observer.observe(el);
    setWidth(Math.floor(el.clientWidth));
    return () => observer.disconnect();
  }, []);

  // Rebuilt rather than patched when anything changes: the data is a few hundred points at most.
  useEffect(() => {
    const el = box.current;
    if (!el || width <= 0) return;
    const plot = new uPlot({ ...options(themeColors(), width, height), width, height }, data, el);
    return () => plot.destroy();
  }, [options, data, width, height, theme]);

  return (
    <div
      ref={box}
      className="chart-canvas"
      role="img"
      aria-label={label}
      {...(describedBy ? { 'aria-describedby': describedBy } : {})}
      style={{ minHeight: height }}
    />
  );
}
