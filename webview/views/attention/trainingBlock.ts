/**
 * The step trace's answer to "training: Noam warm-up and Adam" for the loaded model, with no
 * training in the panel: the Noam schedule plotted for this model's d_model and a warm-up the
 * user sets, and what Adam's first two steps would do to one weight whose gradient the user
 * sets, against plain SGD (numbers from trainingMath.ts).
 */
import { numberField } from '../../components/toolkit';
import { el } from '../../dom';
import { t } from '../../l10n';
import { adamSteps, noamCurve, noamRate } from './trainingMath';
import { fmt } from './stepParts';

const SVG = 'http://www.w3.org/2000/svg';

function plot(dModel: number, warmup: number): SVGSVGElement {
  const W = 320, H = 120, pad = 4;
  const curve = noamCurve(dModel, warmup);
  const top = noamRate(warmup, dModel, warmup);
  const last = curve[curve.length - 1].step;
  const x = (step: number) => pad + ((step - 1) / (last - 1)) * (W - 2 * pad);
  const y = (lr: number) => H - pad - (lr / top) * (H - 2 * pad);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  // sized by .noam-plot in media/panel.css: the column's width up to W, so a narrow docked view never cuts it
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('Noam learning rate over {0} steps; the peak {1} is at step {2}', last, fmt(top), warmup));
  svg.setAttribute('class', 'noam-plot');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', curve.map((p, i) => `${i ? 'L' : 'M'}${x(p.step).toFixed(1)},${y(p.lr).toFixed(1)}`).join(' '));
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'var(--vscode-charts-blue)');
  path.setAttribute('stroke-width', '2');
  const peak = document.createElementNS(SVG, 'line');
  for (const [k, v] of [['x1', x(warmup)], ['x2', x(warmup)], ['y1', pad], ['y2', H - pad]] as const) peak.setAttribute(k, v.toFixed(1));
  peak.setAttribute('stroke', 'var(--vscode-foreground)');
  peak.setAttribute('stroke-dasharray', '3 3');
  svg.append(peak, path);
  return svg;
}

export function trainingBlock(dModel: number): HTMLElement {
  const warm = numberField('noam-warmup', t('Warm-up steps'), 4000);
  const grad = numberField('adam-gradient', t('Gradient of one weight'), 0.02);
  const out = el('div', { id: 'training-numbers' });
  const error = el('p', { class: 'error', role: 'alert' });
  const draw = () => {
    const w = warm.read(), g = grad.read();
    if (!Number.isInteger(w) || w < 1 || w > 1e7) { error.textContent = t('The warm-up must be a whole number of steps from 1 to 10000000.'); return; }
    if (!Number.isFinite(g) || g === 0) { error.textContent = t('The gradient must be a number other than 0.'); return; }
    error.textContent = '';
    const peak = noamRate(w, dModel, w);
    const [first, second] = adamSteps([g, g], peak);
    out.replaceChildren(
      el('p', {}, t('Noam schedule for d_model = {0} and {1} warm-up steps: the rate rises linearly to {2} at step {1}, then falls as 1/√step ({3} at step {4}).', dModel, w, fmt(peak), fmt(noamRate(4 * w, dModel, w)), 4 * w)),
      plot(dModel, w),
      el('p', { id: 'adam-step' }, t('At the peak rate, Adam moves a weight with gradient {0} by {1} on step 1 and {2} on step 2 (β₁ = 0.9, β₂ = 0.98, ε = 1e−9); plain SGD would move it by {3}. Try a gradient 100 times larger: Adam\'s step stays about the same.', fmt(g), fmt(first.delta), fmt(second.delta), fmt(-peak * g))),
    );
  };
  const redraw = el('vscode-button', { appearance: 'secondary', id: 'training-redraw' }, t('Recompute'));
  redraw.addEventListener('click', draw);
  draw();
  return el('div', { class: 'step-training', id: 'step-training' }, el('h4', {}, t('Training this model (nothing is trained here)')), warm.node, grad.node, redraw, error, out);
}
