// Two small SVG charts, drawn by hand: no chart library for a line and ten bars.
const NS = 'http://www.w3.org/2000/svg';
const W = 480;
const H = 240;
const PAD = { left: 40, right: 10, top: 10, bottom: 28 };

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function axes(svg: SVGSVGElement, yMax: number, yLabel: (v: number) => string): void {
  const ih = H - PAD.top - PAD.bottom;
  for (let k = 0; k <= 4; k++) {
    const y = PAD.top + ih - (k / 4) * ih;
    svg.append(
      el('line', { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, stroke: '#e3e7ef' }),
      el('text', { x: PAD.left - 4, y: y + 4, 'text-anchor': 'end' }, yLabel((k / 4) * yMax)),
    );
  }
}

/** Loss per training step; `data-points` carries the number of points drawn. */
export function drawLine(svg: SVGSVGElement, values: readonly number[]): void {
  svg.replaceChildren();
  const yMax = Math.max(0.5, ...values.filter(Number.isFinite)) * 1.05;
  axes(svg, yMax, (v) => v.toFixed(2));
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const n = values.length;
  if (n > 0) {
    const points = values
      .map((v, i) => {
        const x = PAD.left + (n === 1 ? 0 : (i / (n - 1)) * iw);
        const y = PAD.top + ih - (Math.min(v, yMax) / yMax) * ih;
        return `${x.toFixed(1)},${y.toFixed(1)}`;
      })
      .join(' ');
    svg.append(el('polyline', { points, fill: 'none', stroke: '#2f5fd0', 'stroke-width': 1.6 }));
  }
  svg.append(el('text', { x: W / 2, y: H - 6, 'text-anchor': 'middle' }, `${n} steps`));
  svg.dataset.points = String(n);
}

/** Accuracy per class (`null`: not measured yet), bar widths by training count. */
export function drawBars(
  svg: SVGSVGElement,
  accuracy: readonly (number | null)[],
  counts: readonly number[],
): void {
  svg.replaceChildren();
  axes(svg, 1, (v) => `${Math.round(100 * v)}%`);
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const slot = iw / accuracy.length;
  const most = Math.max(1, ...counts);
  const chance = PAD.top + ih - 0.1 * ih;
  accuracy.forEach((a, c) => {
    const width = Math.max(4, (slot - 6) * ((counts[c] ?? 0) / most));
    const x = PAD.left + c * slot + (slot - width) / 2;
    const h = (a ?? 0) * ih;
    svg.append(
      el('rect', {
        x,
        y: PAD.top + ih - h,
        width,
        height: h,
        fill: c < 3 ? '#2f5fd0' : c < 6 ? '#5b8def' : '#f08a24',
        'data-class': c,
        'data-accuracy': a ?? '',
      }),
      el('text', { x: PAD.left + (c + 0.5) * slot, y: H - 14, 'text-anchor': 'middle' }, String(c)),
    );
  });
  svg.append(
    el('line', {
      x1: PAD.left,
      x2: W - PAD.right,
      y1: chance,
      y2: chance,
      stroke: '#c0392b',
      'stroke-dasharray': '4 3',
    }),
    el('text', { x: W - PAD.right, y: chance - 3, 'text-anchor': 'end' }, 'chance'),
    el(
      'text',
      { x: W / 2, y: H - 2, 'text-anchor': 'middle' },
      'digit (blue: many, light: medium, orange: few)',
    ),
  );
}
