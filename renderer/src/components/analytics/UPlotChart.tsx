import { useEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

/*
 * Why uPlot: measured on a 480-lesson course (drop-off bar chart + time-against-estimate chart,
 * fresh Chromium page, median of 9, React kept outside the measured bundle) against the other
 * candidates, minified and gzipped with esbuild:
 *   uPlot            23.0 KB gzip   ~200–280 ms to the first painted frame,    52 DOM nodes (canvas)
 *   visx             22.3 KB gzip   ~410–540 ms,  2,147 SVG nodes
 *   Observable Plot  86.5 KB gzip   ~1,290–1,400 ms, 3,886 SVG nodes (pulls in all of d3)
 *   ECharts (core, bar/scatter/line, SVG renderer) 172.7 KB gzip, ~1,050–2,400 ms
 * (hand-written React SVG, the no-library floor: 0.9 KB, ~180–440 ms.) uPlot is the smallest of
 * the libraries by render time and on par by size, and draws to a canvas, so a 480-bar chart
 * stays a handful of DOM nodes. It ships only in the Analytics screen's chunk (App.tsx loads
 * views on demand). A canvas says nothing to a screen reader: every chart here is aria-hidden
 * and its figure carries the same numbers as a table (AnalyticsFigure).
 */

/** Options without the size: the chart takes its container's width, so it never overflows a narrow window. */
export type ChartOptions = Omit<Options, 'width' | 'height'>;

export function UPlotChart({ options, data, height = 220 }: { options: ChartOptions; data: AlignedData; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const width = () => Math.max(200, Math.floor(element.clientWidth));
    const chart = new uPlot({ ...options, width: width(), height, legend: { show: false, ...options.legend } }, data, element);
    const resized = new ResizeObserver(() => {
      if (Math.abs(chart.width - width()) > 1) chart.setSize({ width: width(), height });
    });
    resized.observe(element);
    return () => {
      resized.disconnect();
      chart.destroy();
    };
  }, [options, data, height]);
  // The drawing repeats the figure's table: assistive technology reads the table instead.
  return <div ref={host} className="uplot-host" aria-hidden="true" />;
}

/** Bars for uPlot series (its own path builder). */
export const barPaths = uPlot.paths.bars!({ size: [0.85, 14] });
/** A step line centred on each x, for estimates drawn against per-lesson points. */
export const stepPaths = uPlot.paths.stepped!({ align: 1 });
