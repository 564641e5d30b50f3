import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import type * as EChartsModule from './echarts.ts';
import { Spinner } from './States.tsx';

type ECharts = ReturnType<(typeof EChartsModule)['echarts']['init']>;
let loader: Promise<typeof EChartsModule> | null = null;

/**
 * One ECharts canvas; the library loads on first use, options update in place.
 * `label` makes it an image with that text for screen readers (the canvas says nothing).
 */
export function Chart({
  option,
  height = 260,
  testId,
  label,
}: {
  option: EChartsCoreOption;
  height?: number;
  testId?: string;
  label?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    loader ??= import('./echarts.ts');
    void loader.then(({ echarts }) => {
      if (disposed || !el.current) return;
      chart.current = echarts.init(el.current);
      setReady(true);
    });
    const onResize = () => chart.current?.resize();
    window.addEventListener('resize', onResize);
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!ready || !chart.current) return;
    chart.current.setOption(option, { notMerge: true });
    // How many options the canvas has drawn: lets a test see the chart itself move, not only React state.
    if (el.current) el.current.dataset.drawn = String(Number(el.current.dataset.drawn ?? 0) + 1);
  }, [option, ready]);

  return (
    <div
      className="chart"
      style={{ height }}
      data-testid={testId}
      {...(label ? { role: 'img', 'aria-label': label } : {})}
    >
      <div ref={el} data-testid={testId ? `${testId}-canvas` : undefined} style={{ width: '100%', height: '100%' }} />
      {!ready && (
        <div className="chart-loading">
          <Spinner />
        </div>
      )}
    </div>
  );
}
