// Charts are drawn with Vega-Lite (compiled to Vega, rendered to SVG headless): a maintained
// grammar-of-graphics library that needs no canvas or browser for SVG output.
import type { TopLevelSpec } from 'vega-lite';

async function render(spec: TopLevelSpec): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One bar of {@link barChartSvg}: a method's mean (and std) on one group. */
export interface BarDatum {
  method: string;
  group: string;
  mean: number;
  std: number;
}

/** Grouped bar chart with ±std error bars (methods side by side within each group). */
export function barChartSvg(
  data: readonly BarDatum[],
  options: { title: string; yTitle: string },
): Promise<string> {
  const groups = [...new Set(data.map((d) => d.group))];
  const methods = [...new Set(data.map((d) => d.method))];
  const values = data.map((d) => ({ ...d, low: d.mean - d.std, high: d.mean + d.std }));
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    data: { values },
    facet: { column: { field: 'group', type: 'nominal', sort: groups, title: null } },
    spec: {
      width: { step: 16 },
      height: 240,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: {
              field: 'method',
              type: 'nominal',
              sort: methods,
              axis: { title: null, labels: false, ticks: false },
            },
            y: { field: 'mean', type: 'quantitative', title: options.yTitle },
            color: { field: 'method', type: 'nominal', sort: methods, title: 'method' },
          },
        },
        {
          mark: { type: 'rule', color: 'black' },
          encoding: {
            x: { field: 'method', type: 'nominal', sort: methods },
            y: { field: 'low', type: 'quantitative' },
            y2: { field: 'high' },
          },
        },
      ],
    },
  } as TopLevelSpec);
}

/** One point of {@link lineChartSvg}. */
export interface LineDatum {
  x: number;
  y: number;
  series: string;
}

/** Line chart, one line per series (e.g. PLM's ideal ratio per class over epochs). */
export function lineChartSvg(
  data: readonly LineDatum[],
  options: { title: string; xTitle: string; yTitle: string; logY?: boolean },
): Promise<string> {
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    data: { values: data as LineDatum[] },
    width: 420,
    height: 260,
    mark: { type: 'line', point: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xTitle },
      y: {
        field: 'y',
        type: 'quantitative',
        title: options.yTitle,
        scale: options.logY ? { type: 'log' } : { zero: false },
      },
      color: { field: 'series', type: 'nominal', title: null },
    },
  });
}

/** One epoch of {@link learningCurveSvg}: the training loss and, when evaluated, a test score. */
export interface CurveDatum {
  epoch: number;
  loss: number;
  /** Test score in % (accuracy, or macro F1 for multi-label), or null when not evaluated. */
  test: number | null;
}

/** Learning curve: training loss per epoch above the test score per epoch (shared x axis). */
export function learningCurveSvg(
  data: readonly CurveDatum[],
  options: { title: string; testTitle: string },
): Promise<string> {
  const values = data.map((d) => ({ ...d }));
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    data: { values },
    vconcat: [
      {
        width: 420,
        height: 160,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: null, axis: { tickMinStep: 1 } },
          y: {
            field: 'loss',
            type: 'quantitative',
            title: 'training loss',
            scale: { zero: false },
          },
        },
      },
      {
        width: 420,
        height: 160,
        transform: [{ filter: 'datum.test != null' }],
        mark: { type: 'line', point: true, color: '#e45756' },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
          y: {
            field: 'test',
            type: 'quantitative',
            title: options.testTitle,
            scale: { zero: false },
          },
        },
      },
    ],
  } as TopLevelSpec);
}
