// One chart of the flows page. ECharts (and the world map) load on demand, once for the page.
// role="img" with a label: a screen reader announces the chart once by its title, and finds
// the figures in the tables and lists beside it.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChartHandle, ChartOption } from './flowsChart';

export type ChartModule = typeof import('./flowsChart');

let loading: Promise<ChartModule> | null = null;

export function loadCharts(): Promise<ChartModule> {
  loading ??= import('./flowsChart');
  return loading;
}

/** The chart module once it has loaded (null before). */
export function useCharts(): ChartModule | null {
  const [charts, setCharts] = useState<ChartModule | null>(null);
  useEffect(() => {
    let live = true;
    void loadCharts().then((m) => live && setCharts(() => m));
    return () => {
      live = false;
    };
  }, []);
  return charts;
}

export function Chart({
  option,
  label,
  testId,
  renderer = 'svg',
  class: extra,
}: {
  option: ChartOption;
  label: string;
  testId: string;
  renderer?: 'svg' | 'canvas';
  class?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const handle = useRef<ChartHandle | null>(null);
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let cancelled = false;
    void loadCharts().then(({ mountChart }) => {
      if (cancelled || !ref.current) return;
      handle.current = mountChart(ref.current, latest.current, renderer);
    });
    return () => {
      cancelled = true;
      handle.current?.dispose();
      handle.current = null;
    };
  }, [renderer]);
  useEffect(() => handle.current?.update(option), [option]);

  return (
    <div
      class={extra ? `chart ${extra}` : 'chart'}
      ref={ref}
      role="img"
      aria-label={label}
      data-testid={testId}
      dir="ltr"
    />
  );
}
