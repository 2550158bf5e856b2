/**
 * A rectangular attention matrix on canvas — cross attention's [Td, Te]: decoder positions
 * down, source positions across — with both label axes (the query's tokens on the left, the
 * keys' rotated along the top), as heatmap.ts draws the square ones: one pixel per cell in
 * an ImageData scaled up without smoothing; −∞ cells hatched grey.
 */
import { tokenLabel } from '../../dom';
import { hiDpiContext, LABEL_SPACE, matrixImage, themeRgb, type Rgb } from '../attention/heatmap';
import { LABELLED_CELL } from '../attention/state';

export interface RectLayout { cell: number; left: number; top: number; rows: number; cols: number }

export interface RectOptions {
  cell: number;
  rowLabels?: readonly string[];
  colLabels?: readonly string[];
  /** The query row to outline. */
  row?: number;
  colour?: Rgb;
  maxValue?: number;
}

/** Draw [rows, cols] values in [0, 1]; returns the layout for hit-testing. */
export function drawRect(canvas: HTMLCanvasElement, m: Float32Array, rows: number, cols: number, opts: RectOptions): RectLayout {
  const cell = opts.cell;
  const labelled = !!opts.rowLabels && !!opts.colLabels && cell >= LABELLED_CELL;
  const left = labelled ? LABEL_SPACE : 0, top = labelled ? LABEL_SPACE : 0;
  const ctx = hiDpiContext(canvas, left + cols * cell, top + rows * cell);
  const off = document.createElement('canvas');
  off.width = cols;
  off.height = rows;
  off.getContext('2d')!.putImageData(matrixImage(m, rows, cols, opts.colour ?? themeRgb('charts-blue', { r: 55, g: 148, b: 255 }), opts.maxValue), 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, left, top, cols * cell, rows * cell);
  const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#cccccc';
  if (opts.row !== undefined && opts.row < rows) {
    ctx.strokeStyle = getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim() || fg;
    ctx.lineWidth = 1;
    ctx.strokeRect(left - 0.5, top + opts.row * cell - 0.5, cols * cell + 1, cell + 1);
  }
  if (labelled) {
    ctx.fillStyle = fg;
    ctx.font = `${Math.min(12, cell - 2)}px var(--vscode-editor-font-family, monospace)`;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    opts.rowLabels!.forEach((text, i) => ctx.fillText(tokenLabel(text, 11), left - 4, top + i * cell + cell / 2));
    opts.colLabels!.forEach((text, i) => {
      ctx.save();
      ctx.translate(left + i * cell + cell / 2, top - 4);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'left';
      ctx.fillText(tokenLabel(text, 11), 0, 0);
      ctx.restore();
    });
  }
  return { cell, left, top, rows, cols };
}

/** The (query, key) cell under a mouse event, if any. */
export function rectCellAt(layout: RectLayout, canvas: HTMLCanvasElement, e: MouseEvent): { q: number; k: number } | undefined {
  const box = canvas.getBoundingClientRect();
  const k = Math.floor((e.clientX - box.left - layout.left) / layout.cell), q = Math.floor((e.clientY - box.top - layout.top) / layout.cell);
  return q >= 0 && k >= 0 && q < layout.rows && k < layout.cols ? { q, k } : undefined;
}

/** Cell size so `cols` columns (plus labels when they fit) take at most `width` pixels: 4 … 28. */
export function rectCell(cols: number, width: number): number {
  const labelled = Math.floor((width - LABEL_SPACE - 4) / cols);
  if (labelled >= LABELLED_CELL) return Math.min(28, labelled);
  return Math.max(4, Math.min(LABELLED_CELL - 1, Math.floor((width - 4) / cols)));
}
