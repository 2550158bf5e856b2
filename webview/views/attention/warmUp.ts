/**
 * A throw-away render of the inspector while the panel is idle, before the first real
 * result arrives: the browser parses and compiles the drawing code and the toolkit
 * components build their templates then, so the first real paint runs on warm code.
 * The render is synthetic (a causal 256-token layer), off screen, hidden from assistive
 * technology, posts nothing, saves nothing, and is removed in the same task.
 */
import type { PanelAttention } from '../../../src/shared/protocol';
import { el } from '../../dom';
import { renderInspector } from './inspector';

const T = 256, HEADS = 4;

function syntheticAttention(): PanelAttention {
  const w = new Float32Array(HEADS * T * T);
  for (let h = 0; h < HEADS; h++) {
    for (let q = 0; q < T; q++) for (let k = 0; k <= q; k++) w[h * T * T + q * T + k] = 1 / (q + 1);
  }
  return {
    model: 'warm-up', description: '', causal: true, layers: 1, heads: HEADS, T, weights: [w], namedHeads: [], forwardMs: 0,
    tokens: Array.from({ length: T }, (_, i) => ({ id: i, text: `t${i}` })),
  };
}

export function warmUpInspector(): void {
  const box = el('div', { class: 'warm-up', 'aria-hidden': 'true', inert: '' }); // off screen and hidden: media/panel.css
  document.body.append(box);
  try {
    const ins = renderInspector(syntheticAttention(), { models: ['warm-up'], model: 'warm-up', post: () => undefined, persist: () => undefined });
    box.append(ins.node);
    ins.mounted();
  } finally {
    box.remove();
  }
}
