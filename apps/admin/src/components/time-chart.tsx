import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatUsd } from '../lib/format.ts';
import type { SpendPoint } from '../lib/spend.ts';

/**
 * Daily spend as bars (uPlot: ~20 kB gzip, canvas). Canvas is invisible to screen readers, so the
 * caller also renders the numbers as a table; this element is aria-hidden.
 */
export function TimeChart({ points, height = 220 }: { points: SpendPoint[]; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const xs = points.map((p) => Date.parse(`${p.id.slice(0, 10)}T00:00:00Z`) / 1000);
    const ys = points.map((p) => p.spend);
    const styles = getComputedStyle(el);
    const accent = styles.getPropertyValue('--accent').trim() || '#4f46e5';
    const text = styles.getPropertyValue('--muted').trim() || '#666';
    const grid = styles.getPropertyValue('--border').trim() || '#ddd';
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
        axes: [
          { ...axis, space: 60 },
          {
            ...axis,
            values: (_u, vals) => vals.map((v) => formatUsd(v)),
            // Wide enough for the longest tick label ($0.000008 and $1,234.56 alike).
            size: (_u, values) => (values ? Math.max(...values.map((v) => String(v).length)) * 7 + 18 : 50),
          },
        ],
        series: [
          {},
          {
            label: 'Spend',
            stroke: accent,
            fill: `${accent}cc`,
            paths: uPlot.paths.bars?.({ size: [0.7, 48], align: 0 }),
            points: { show: false },
          },
        ],
      },
      [xs, ys],
      el,
    );
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [points, height]);
  return <div ref={ref} className="time-chart" aria-hidden="true" />;
}
