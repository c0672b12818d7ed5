// The movement path: the city of each stay over time, a step line drawn by ECharts (loaded on
// demand), with the stays listed beside it for screen readers and print.
import { useEffect, useRef } from 'preact/hooks';
import { day, type AdNetworkDetail } from './model';

export function Movement({ movement, label }: { movement: AdNetworkDetail['movement']; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let cancelled = false;
    let handle: { dispose: () => void } | null = null;
    const cities = [...new Set(movement.map((v) => v.city))];
    const points: [number, string][] = [];
    for (const v of movement) {
      points.push([v.first_posted * 1000, v.city]);
      points.push([v.last_posted * 1000, v.city]);
    }
    void import('./onlineChart').then(({ mountChart }) => {
      if (cancelled || !ref.current) return;
      handle = mountChart(ref.current, {
        animation: false,
        grid: { left: 110, right: 20, top: 10, bottom: 30 },
        tooltip: { trigger: 'item' },
        xAxis: { type: 'time' },
        yAxis: { type: 'category', data: cities },
        series: [{ type: 'line', data: points, symbolSize: 6, lineStyle: { width: 2 } }],
      });
    });
    return () => {
      cancelled = true;
      handle?.dispose();
    };
  }, [movement]);
  return (
    <>
      <div ref={ref} class="online-movement" role="img" aria-label={label} data-testid="online-movement" />
      <ol class="online-stays">
        {movement.map((v, i) => (
          <li key={i}>
            {v.city} ({v.ads}): {day(v.first_posted)} – {day(v.last_posted)}
          </li>
        ))}
      </ol>
    </>
  );
}
