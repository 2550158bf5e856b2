/**
 * Attention matrices on canvas: one pixel per cell in an ImageData (no element and no
 * fillRect per cell, so 1,024 × 1,024 draws in milliseconds), scaled up without smoothing
 * to the zoomed cell size; token labels are drawn when cells are tall enough to read.
 * Colour is the theme's chart blue with alpha = weight, over the panel background.
 */
import { tokenLabel } from '../../dom';
import { LABELLED_CELL } from './state';

export const LABEL_SPACE = 96;

export interface Rgb { r: number; g: number; b: number }

/** The theme colour `--vscode-<name>` as RGB (a fallback when unset or unparsable). */
export function themeRgb(name: string, fallback: Rgb): Rgb {
  const raw = getComputedStyle(document.body).getPropertyValue(`--vscode-${name}`).trim();
  const hex = /^#([0-9a-f]{6})/i.exec(raw);
  if (hex) return { r: parseInt(hex[1].slice(0, 2), 16), g: parseInt(hex[1].slice(2, 4), 16), b: parseInt(hex[1].slice(4, 6), 16) };
  const rgb = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(raw);
  return rgb ? { r: +rgb[1], g: +rgb[2], b: +rgb[3] } : fallback;
}

const BLUE: Rgb = { r: 55, g: 148, b: 255 };

/** rows × cols values in [0, 1] as an image, one pixel per cell; −∞ cells (masks) are drawn hatched grey. */
export function matrixImage(m: Float32Array, rows: number, cols: number, colour: Rgb = BLUE, maxValue = 1): ImageData {
  const img = new ImageData(cols, rows);
  const d = img.data;
  for (let i = 0; i < rows * cols; i++) {
    const v = m[i];
    const o = i * 4;
    if (v === -Infinity) { d[o] = 128; d[o + 1] = 128; d[o + 2] = 128; d[o + 3] = ((i + Math.floor(i / cols)) & 1) ? 150 : 70; continue; }
    d[o] = colour.r; d[o + 1] = colour.g; d[o + 2] = colour.b;
    d[o + 3] = v > 0 ? Math.min(255, Math.round(20 + 235 * (v / maxValue))) : 0;
  }
  return img;
}

/** Size a canvas to width × height CSS pixels at the screen's pixel ratio; returns its cleared context in CSS units. */
export function hiDpiContext(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

export interface MatrixLayout { cell: number; left: number; top: number; T: number }

export interface DrawOptions {
  cell: number;
  labels?: readonly string[];
  /** Query rows to outline (the selected token or span). */
  rows?: readonly number[];
  colour?: Rgb;
  maxValue?: number;
}

/** Draw a square [T, T] matrix with optional labels; returns the layout for hit-testing. */
export function drawMatrix(canvas: HTMLCanvasElement, m: Float32Array, T: number, opts: DrawOptions): MatrixLayout {
  const { cell } = opts;
  const labelled = !!opts.labels && cell >= LABELLED_CELL;
  const left = labelled ? LABEL_SPACE : 0;
  const size = left + T * cell;
  const ctx = hiDpiContext(canvas, size, size);
  // Fewer device pixels than cells (a long input fitted to a narrow box): max-pool, so a
  // peak stays visible instead of being dropped by the scaling.
  const n = Math.min(T, Math.ceil(T * cell * (window.devicePixelRatio || 1)));
  const off = document.createElement('canvas');
  off.width = n;
  off.height = n;
  off.getContext('2d')!.putImageData(matrixImage(n < T ? maxPool(m, T, n) : m, n, n, opts.colour ?? themeRgb('charts-blue', BLUE), opts.maxValue), 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, left, left, T * cell, T * cell);
  const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#cccccc';
  if (opts.rows?.length) {
    ctx.strokeStyle = getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim() || fg;
    ctx.lineWidth = 1;
    const a = Math.min(...opts.rows), b = Math.max(...opts.rows);
    ctx.strokeRect(left - 0.5, left + a * cell - 0.5, T * cell + 1, (b - a + 1) * cell + 1);
  }
  if (labelled) {
    ctx.fillStyle = fg;
    ctx.font = `${Math.min(12, cell - 2)}px var(--vscode-editor-font-family, monospace)`;
    ctx.textBaseline = 'middle';
    opts.labels!.forEach((text, i) => {
      const label = tokenLabel(text, 11);
      ctx.textAlign = 'right';
      ctx.fillText(label, left - 4, left + i * cell + cell / 2);
      ctx.save();
      ctx.translate(left + i * cell + cell / 2, left - 4);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'left';
      ctx.fillText(label, 0, 0);
      ctx.restore();
    });
  }
  return { cell, left, top: left, T };
}

/** The (query, key) cell under a mouse event, if any. */
export function cellAt(layout: MatrixLayout, canvas: HTMLCanvasElement, e: MouseEvent): { q: number; k: number } | undefined {
  const box = canvas.getBoundingClientRect();
  const x = e.clientX - box.left - layout.left, y = e.clientY - box.top - layout.top;
  const k = Math.floor(x / layout.cell), q = Math.floor(y / layout.cell);
  return q >= 0 && k >= 0 && q < layout.T && k < layout.T ? { q, k } : undefined;
}

/** A [T, T] matrix max-pooled to [n, n] (n ≤ T): each output cell is the largest of the cells it covers. */
export function maxPool(m: Float32Array, T: number, n: number): Float32Array {
  const pooled = new Float32Array(n * n); // [n, n]
  const cellOf = new Int32Array(T); // key (or query) index → its pooled column (row)
  for (let k = 0; k < T; k++) cellOf[k] = Math.floor((k * n) / T);
  for (let q = 0; q < T; q++) {
    const row = cellOf[q] * n, base = q * T;
    for (let k = 0; k < T; k++) {
      const i = row + cellOf[k];
      const v = m[base + k];
      if (v > pooled[i]) pooled[i] = v;
    }
  }
  return pooled;
}

/** A small thumbnail of a [T, T] matrix, max-pooled to at most `px` pixels a side. */
export function drawThumbnail(ctx: CanvasRenderingContext2D, m: Float32Array, T: number, x: number, y: number, px: number, colour: Rgb): void {
  const n = Math.min(T, px);
  const img = matrixImage(n < T ? maxPool(m, T, n) : m, n, n, colour);
  if (n === px && ctx.getTransform().isIdentity) { ctx.putImageData(img, x, y); return; } // already the tile's size: no scaling canvas
  const off = document.createElement('canvas');
  off.width = n;
  off.height = n;
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, x, y, px, px);
}
