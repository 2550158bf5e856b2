/**
 * The model view: every layer × head as a thumbnail on one canvas (rows = layers,
 * columns = heads); click one to open it in the head view. Named heads get a caption.
 * Above it, the attention's shape (MHA / GQA groups), the KV cache per token and the seed
 * question on mainstream attention improvements, in this model's numbers.
 */
import { el } from '../../dom';
import { t } from '../../l10n';
import { headLabel } from './headLabel';
import { drawThumbnail, hiDpiContext, themeRgb } from './heatmap';
import type { Inspector } from './state';
import { headsLine, kvCacheLines } from './decoderText';
import { variantsNote } from './variantsNote';

const GAP = 6;
const LABEL = 28;

export function modelView(ins: Inspector, openHead: () => void): HTMLElement {
  const { a } = ins;
  const canvas = el('canvas', { id: 'model-grid', role: 'img', tabindex: 0 });
  let tile = 72;
  const draw = () => {
    // Tiles as large as fit the column (24–72 px); the grid scrolls sideways below 24.
    const room = canvas.parentElement?.parentElement?.clientWidth || 720;
    tile = Math.max(24, Math.min(72, Math.floor((Math.min(720, room) - LABEL) / a.heads) - GAP));
    const w = LABEL + a.heads * (tile + GAP), h = LABEL + a.layers * (tile + GAP);
    const ctx = hiDpiContext(canvas, w, h);
    const colour = themeRgb('charts-blue', { r: 55, g: 148, b: 255 });
    const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#ccc';
    const focus = getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim() || fg;
    ctx.fillStyle = fg;
    ctx.font = '11px var(--vscode-font-family, sans-serif)';
    ctx.textBaseline = 'middle';
    for (let hd = 0; hd < a.heads; hd++) ctx.fillText(`H${hd}`, LABEL + hd * (tile + GAP) + 2, LABEL / 2);
    const T = a.T;
    for (let l = 0; l < a.layers; l++) {
      ctx.fillStyle = fg;
      ctx.fillText(`L${l}`, 2, LABEL + l * (tile + GAP) + tile / 2);
      for (let hd = 0; hd < a.heads; hd++) {
        const x = LABEL + hd * (tile + GAP), y = LABEL + l * (tile + GAP);
        drawThumbnail(ctx, a.weights[l].subarray(hd * T * T, (hd + 1) * T * T), T, x, y, tile, colour);
        if (l === ins.state.layer && ins.state.heads.includes(hd)) { ctx.strokeStyle = focus; ctx.lineWidth = 2; ctx.strokeRect(x - 1, y - 1, tile + 2, tile + 2); }
      }
    }
    canvas.setAttribute('aria-label', t('All {0} layers × {1} heads as thumbnails; click one to open it', a.layers, a.heads));
  };
  canvas.addEventListener('click', (e) => {
    const box = canvas.getBoundingClientRect();
    const hd = Math.floor((e.clientX - box.left - LABEL) / (tile + GAP)), l = Math.floor((e.clientY - box.top - LABEL) / (tile + GAP));
    if (hd >= 0 && hd < a.heads && l >= 0 && l < a.layers) { ins.update({ layer: l, heads: [hd] }); openHead(); }
  });
  const named = a.namedHeads.length
    ? el('p', { class: 'muted', id: 'named-heads' }, t('Named by the model card:'), ' ', ...a.namedHeads.map((n) => el('code', { title: t('held-out score {0}', n.score.toFixed(3)) }, `L${n.layer} H${n.head} ${headLabel(n.label)}`)))
    : el('span');
  ins.onChange(draw);
  requestAnimationFrame(draw);
  const cache = kvCacheLines(a);
  const shape = el('div', { id: 'model-shape' },
    el('p', { id: 'kv-groups' }, headsLine(a)), ...(cache ? [el('p', { id: 'kv-cache', class: 'muted' }, cache.join(' '))] : []), variantsNote(a));
  return el('section', { id: 'model-view' }, shape, named, el('div', { class: 'attention-scroll' }, canvas));
}
