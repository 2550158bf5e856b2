/**
 * Cross attention as BertViz draws it: target (decoder) tokens on the left, source tokens
 * on the right, a line from the target token to every source token it reads, opacity and
 * width by weight. Hovering a target token shows its lines; clicking it makes it the query.
 */
import { tokenLabel } from '../../dom';
import { hiDpiContext } from '../attention/heatmap';

const WIDTH = 360, ROW = 18;

export interface CrossLines {
  node: HTMLCanvasElement;
  /** m: [Td, Te] combined weights; `query`: the decoder row whose lines are drawn. */
  draw(m: Float32Array, targets: readonly string[], sources: readonly string[], query: number): void;
}

export function crossLines(onPick: (query: number) => void): CrossLines {
  const canvas = document.createElement('canvas');
  canvas.id = 'cross-lines';
  canvas.setAttribute('role', 'img');
  let last: { m: Float32Array; targets: readonly string[]; sources: readonly string[]; query: number } | undefined;
  let hover: number | undefined;

  function paint(): void {
    if (!last) return;
    const { m, targets, sources } = last;
    const Td = targets.length, Te = sources.length;
    const query = hover ?? last.query;
    const height = Math.max(Td, Te) * ROW + 8;
    const ctx = hiDpiContext(canvas, WIDTH, height);
    const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#ccc';
    const blue = getComputedStyle(document.body).getPropertyValue('--vscode-charts-blue').trim() || '#3794ff';
    const y = (i: number) => 4 + i * ROW + ROW / 2;
    const row = m.subarray(query * Te, (query + 1) * Te);
    const max = Math.max(1e-9, ...row);
    ctx.strokeStyle = blue;
    for (let k = 0; k < Te; k++) {
      const w = row[k] / max;
      if (!(w >= 0.01)) continue;
      ctx.globalAlpha = Math.min(1, w);
      ctx.lineWidth = 1 + 2 * w;
      ctx.beginPath();
      ctx.moveTo(130, y(query));
      ctx.lineTo(230, y(k));
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    ctx.fillStyle = fg;
    ctx.textBaseline = 'middle';
    for (const [labels, x, align] of [[targets, 124, 'right'], [sources, 236, 'left']] as const) {
      ctx.textAlign = align;
      labels.forEach((text, i) => {
        ctx.font = `${labels === targets && i === query ? 'bold ' : ''}12px var(--vscode-editor-font-family, monospace)`;
        ctx.fillText(tokenLabel(text, 14), x, y(i));
      });
    }
    canvas.dataset.query = String(query);
    canvas.setAttribute('aria-label', `${tokenLabel(targets[query] ?? '')} → ${sources.map((s, k) => `${tokenLabel(s)} ${row[k].toFixed(2)}`).join(', ')}`);
  }

  const rowAt = (e: MouseEvent) => {
    const box = canvas.getBoundingClientRect();
    const x = e.clientX - box.left, i = Math.floor((e.clientY - box.top - 4) / ROW);
    return last && x < WIDTH / 2 && i >= 0 && i < last.targets.length ? i : undefined;
  };
  canvas.addEventListener('mousemove', (e) => { const i = rowAt(e); if (i !== undefined && i !== hover) { hover = i; paint(); } });
  canvas.addEventListener('mouseleave', () => { hover = undefined; paint(); });
  canvas.addEventListener('click', (e) => { const i = rowAt(e); if (i !== undefined) onPick(i); });
  return {
    node: canvas,
    draw(m, targets, sources, query) { last = { m, targets, sources, query }; paint(); },
  };
}
