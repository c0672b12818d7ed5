// One dashboard chart: ECharts loads on demand, once for the page. role="img" with a label; the
// figures are also in the table under each chart.
import { useEffect, useRef } from 'preact/hooks';
import type { ChartHandle, ChartOption } from './casesChart';

export function Chart({ option, label, testId }: { option: ChartOption; label: string; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const handle = useRef<ChartHandle | null>(null);
  const latest = useRef(option);
  latest.current = option;
  useEffect(() => {
    let cancelled = false;
    void import('./casesChart').then(({ mountChart }) => {
      if (cancelled || !ref.current) return;
      handle.current = mountChart(ref.current, latest.current);
      ref.current.dataset.rendered = 'true';
    });
    return () => {
      cancelled = true;
      handle.current?.dispose();
      handle.current = null;
    };
  }, []);
  useEffect(() => handle.current?.update(option), [option]);
  return <div class="chart cases-chart" ref={ref} role="img" aria-label={label} data-testid={testId} dir="ltr" />;
}
