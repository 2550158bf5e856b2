/**
 * What a generated token's query looked at: one attention row per layer and head, stacked
 * as a (L·NH) × keys image (the inspector's matrixImage, the theme's chart blue, alpha =
 * weight), keys = the prompt then the tokens generated before it, a rule between the two.
 * Beside it, per layer, the key the heads attend to most on average. Hovering a cell names
 * its layer, head, key and weight. Legend: L layers, NH heads, keys the row's length.
 */
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { hiDpiContext, matrixImage, themeRgb } from '../attention/heatmap';

const LABEL = 34;

/** Per layer, the key with the largest mean weight over heads: [key, mean weight]. */
export function strongestKeys(rows: readonly Float32Array[], heads: number, keys: number): [number, number][] {
  return rows.map((layer) => {
    let best = 0, bestV = -1;
    for (let k = 0; k < keys; k++) {
      let s = 0;
      for (let h = 0; h < heads; h++) s += layer[h * keys + k];
      if (s > bestV) { bestV = s; best = k; }
    }
    return [best, bestV / heads];
  });
}

export function attentionGrid(rows: readonly Float32Array[], heads: number, keys: number, promptLength: number, labels: readonly string[]): HTMLElement {
  const L = rows.length;
  const canvas = el('canvas', { id: 'generate-attention-grid', role: 'img', 'data-rows': L * heads, 'data-keys': keys });
  canvas.setAttribute('aria-label', t('Attention rows of {0} layers × {1} heads over {2} keys', L, heads, keys));
  const cellW = Math.max(2, Math.min(14, Math.floor(560 / keys)));
  const cellH = Math.max(3, Math.min(10, Math.floor(360 / (L * heads))));
  const draw = () => {
    const w = LABEL + keys * cellW, h = L * heads * cellH + (L - 1) * 2;
    const ctx = hiDpiContext(canvas, w, h);
    const colour = themeRgb('charts-blue', { r: 55, g: 148, b: 255 });
    const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#cccccc';
    ctx.font = '10px var(--vscode-font-family, sans-serif)';
    ctx.textBaseline = 'middle';
    for (let l = 0; l < L; l++) {
      const top = l * (heads * cellH + 2);
      const off = document.createElement('canvas');
      off.width = keys;
      off.height = heads;
      off.getContext('2d')!.putImageData(matrixImage(rows[l], heads, keys, colour), 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(off, LABEL, top, keys * cellW, heads * cellH);
      ctx.fillStyle = fg;
      ctx.fillText(`L${l}`, 2, top + (heads * cellH) / 2);
    }
    if (promptLength < keys) {
      ctx.strokeStyle = getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim() || fg;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(LABEL + promptLength * cellW - 0.5, 0);
      ctx.lineTo(LABEL + promptLength * cellW - 0.5, h);
      ctx.stroke();
    }
  };
  canvas.addEventListener('mousemove', (e) => {
    const box = canvas.getBoundingClientRect();
    const k = Math.floor((e.clientX - box.left - LABEL) / cellW);
    const y = e.clientY - box.top, l = Math.floor(y / (heads * cellH + 2)), hd = Math.floor((y - l * (heads * cellH + 2)) / cellH);
    canvas.title = k >= 0 && k < keys && l >= 0 && l < L && hd >= 0 && hd < heads
      ? t('Layer {0}, head {1} → key {2} «{3}»: {4}', l, hd, k, tokenLabel(labels[k] ?? '', 24), rows[l][hd * keys + k].toFixed(3)) : '';
  });
  requestAnimationFrame(draw);
  const strongest = strongestKeys(rows, heads, keys);
  const list = el('ul', { id: 'generate-attention-top', class: 'generate-top-keys' }, ...strongest.map(([k, v], l) => el('li', {},
    `L${l} `, el('code', {}, tokenLabel(labels[k] ?? `#${k}`, 24)), ` ${k < promptLength ? t('(prompt, position {0})', k) : t('(generated, position {0})', k)} ${(100 * v).toFixed(0)}%`)));
  return el('div', { class: 'generate-attention' },
    el('div', { class: 'attention-scroll' }, canvas),
    el('p', { class: 'muted' }, t('Rows: layer × head; columns: the keys, the prompt left of the line and the generated tokens right of it. Most attended key per layer (mean over heads):')), list);
}
