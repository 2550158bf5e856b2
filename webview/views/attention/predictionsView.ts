/**
 * Predictions: what the model would say next, and how decoding settings change it.
 * - GPT: the next-token distribution before and after each warper (temperature → top-k →
 *   top-p, as Hugging Face `generate` applies them), as bars per token; the settings are
 *   live and the numbers come from the model's full logits row.
 * - BERT: fill-mask guesses at each [MASK], and the pre-training masking demo (15%; of
 *   those 80% [MASK], 10% random, 10% unchanged; seeded), token by token with the model's
 *   guesses where it chose.
 */
import type { MaskDemoAnswer } from '../../../src/shared/engineProtocol';
import type { PanelAttention, WebviewToHost } from '../../../src/shared/protocol';
import { checkSampling, DEFAULT_SAMPLING, samplingSteps, type SamplingSettings } from '../../../src/shared/sampling';
import { button, numberField } from '../../components/toolkit';
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { explanation } from './explain';

const STAGE_TITLE: Record<string, string> = { softmax: 'softmax(logits)', temperature: 'temperature', 'top-k': 'top-k', 'top-p': 'top-p' };
const pct = (p: number) => (p === 0 ? '—' : `${(100 * p).toFixed(p < 0.001 ? 3 : 1)}%`);

function samplingTable(a: PanelAttention, s: SamplingSettings): HTMLElement {
  const steps = samplingSteps(a.nextLogits!, s, 10);
  const text = (id: number) => tokenLabel(a.nextTokenTop?.find((e) => e.id === id)?.text ?? `#${id}`);
  const head = el('tr', {}, el('th', {}, t('token')), ...steps.stages.map((st) => el('th', {}, STAGE_TITLE[st.name])));
  const rows = steps.ids.map((id, i) => el('tr', {}, el('td', {}, el('code', {}, text(id))), ...steps.stages.map((st) => {
    const bar = el('span', { class: 'prob-bar', 'aria-hidden': 'true' });
    bar.style.width = `${Math.round(60 * st.probs[i])}px`;
    return el('td', { class: 'prob' }, bar, ' ', pct(st.probs[i]));
  })));
  const kept = el('tr', { class: 'muted' }, el('td', {}, t('tokens kept')), ...steps.stages.map((st) => el('td', {}, String(st.kept))));
  return el('table', { id: 'sampling-table', class: 'prob-table' }, head, ...rows, kept);
}

function maskDemoTable(r: MaskDemoAnswer): HTMLElement {
  const action = { mask: t('→ [MASK]'), random: t('→ random token'), keep: t('→ unchanged') };
  const chosen = r.steps.filter((s) => s.action).length;
  return el('div', { id: 'mask-demo-result' },
    el('p', {}, t('Seed {0}: {1} of {2} tokens chosen.', r.seed, chosen, r.steps.length)),
    el('table', { class: 'prob-table' },
      el('tr', {}, el('th', {}, '#'), el('th', {}, t('token')), el('th', {}, t('what BERT sees')), el('th', {}, t('model\'s guesses'))),
      ...r.steps.map((s) => el('tr', { class: s.action ? 'chosen' : 'muted' },
        el('td', {}, String(s.pos)), el('td', {}, el('code', {}, tokenLabel(s.originalText))),
        el('td', {}, s.action ? `${action[s.action]}${s.action === 'random' ? ` ${tokenLabel(s.inputText)}` : ''}` : ''),
        el('td', {}, ...(s.top ?? []).map((e) => el('code', { class: e.id === s.original ? 'hit' : '', title: `id ${e.id} · logit ${e.logit.toFixed(2)}` }, tokenLabel(e.text ?? `#${e.id}`))))))));
}

export function predictionsView(a: PanelAttention, post: (m: WebviewToHost) => void): { node: HTMLElement; maskDemo(r: MaskDemoAnswer): void; maskDemoError(message: string): void } {
  const demoBox = el('div', { id: 'mask-demo' });
  const parts: HTMLElement[] = [];
  if (a.nextLogits) {
    let settings: SamplingSettings = { ...DEFAULT_SAMPLING };
    const temperature = numberField('sampling-temperature', t('Temperature'), settings.temperature);
    const topK = numberField('sampling-top-k', t('Top-k (0 = off)'), settings.topK);
    const topP = numberField('sampling-top-p', t('Top-p (1 = off)'), settings.topP);
    const staleNote = el('p', { class: 'notice', id: 'sampling-stale', hidden: true });
    const tableBox = el('div', { class: 'table-box', 'aria-describedby': 'sampling-stale' }, samplingTable(a, settings));
    const error = el('p', { class: 'error', role: 'alert', id: 'sampling-error', hidden: true });
    // An invalid setting marks its field and its message; the table keeps the last valid
    // settings' numbers, framed and captioned as stale, until every field is valid again.
    const fields = [
      { field: temperature, key: 'temperature', message: t('The temperature must be a number above 0.') },
      { field: topK, key: 'topK', message: t('The top-k must be a whole number ≥ 0 (0 = off).') },
      { field: topP, key: 'topP', message: t('The top-p must be above 0 and at most 1 (1 = off).') },
    ] as const;
    const refresh = () => {
      const next = { temperature: temperature.read(), topK: topK.read(), topP: topP.read() };
      const wrong = fields.filter((f) => checkSampling({ ...DEFAULT_SAMPLING, [f.key]: next[f.key] }) !== undefined);
      for (const f of fields) {
        if (wrong.includes(f)) f.field.node.setAttribute('aria-invalid', 'true'); else f.field.node.removeAttribute('aria-invalid');
      }
      error.textContent = wrong.map((f) => f.message).join(' ');
      error.hidden = wrong.length === 0;
      tableBox.classList.toggle('stale', wrong.length > 0);
      staleNote.hidden = wrong.length === 0;
      staleNote.textContent = wrong.length ? `${t('Showing the last valid settings.')} ${t('Temperature {0}, top-k {1}, top-p {2}.', settings.temperature, settings.topK, settings.topP)}` : '';
      if (wrong.length || checkSampling(next)) return;
      settings = next;
      tableBox.replaceChildren(samplingTable(a, settings));
    };
    for (const f of [temperature, topK, topP]) f.node.addEventListener('input', refresh);
    parts.push(el('p', { class: 'muted' }, t('The next token\'s probabilities before and after each decoding setting, applied in order: temperature, then top-k, then top-p.')),
      el('div', { class: 'attention-pickers' }, temperature.node, topK.node, topP.node), error, staleNote, tableBox, explanation('sampling'));
  }
  for (const m of a.maskTop ?? []) {
    parts.push(el('p', { class: 'attention-mask' }, t('[MASK] at {0}:', m.pos), ' ', ...m.top.map((e) => el('code', { title: `id ${e.id} · logit ${e.logit.toFixed(2)}` }, tokenLabel(e.text ?? `#${e.id}`)))));
  }
  if (!a.causal) {
    const seed = numberField('mask-demo-seed', t('Seed'), 0);
    parts.push(el('h3', {}, t('BERT\'s pre-training masking')),
      el('div', { class: 'attention-pickers' }, seed.node, button(t('Mask the selection'), () => {
        const s = seed.read();
        if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) { demoBox.replaceChildren(el('p', { class: 'error', role: 'alert' }, t('The seed must be a whole number from 0 to 4294967295.'))); return; }
        demoBox.replaceChildren(el('p', { class: 'muted' }, t('Masking and running the model…')));
        post({ type: 'requestMaskDemo', seed: s });
      }, 'primary', 'mask-demo-run')), demoBox, explanation('mlm'));
  }
  if (parts.length === 0) parts.push(el('p', { class: 'muted' }, t('This checkpoint has no language-model head, so it makes no predictions.')));
  return {
    node: el('section', { id: 'predictions-view' }, ...parts),
    maskDemo(r) { demoBox.replaceChildren(maskDemoTable(r)); },
    maskDemoError(message) { demoBox.replaceChildren(el('p', { class: 'error', role: 'alert' }, message)); },
  };
}
