/**
 * The Generate view: the model continues the selection one token at a time. Tokens
 * appear as the engine makes them (cancellable; what was made stays), each with its
 * probability; clicking one shows the alternatives at that step and the attention row
 * that chose it in every layer and head (attentionGrid.ts). Below, the KV cache as it
 * grows and the work with and without it (kvCacheView.ts), the decoding settings (live:
 * a change runs again), "insert into editor" (the host inserts after the selection, as an
 * undoable edit, only on this button), and the explanations. BERT-style models get the
 * engine's "not a generative model" and what they can do instead.
 */
import type { GenerateHostToWebview, GenerateShape, GenerateStepView, StoppedBy } from '../../../src/shared/generateProtocol';
import { isGenerateStep } from '../../../src/shared/generateProtocol';
import type { WebviewToHost } from '../../../src/shared/protocol';
import { button } from '../../components/toolkit';
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { explanation } from '../attention/explain';
import { attentionGrid } from './attentionGrid';
import { generateExplanation } from './generateExplain';
import { kvCacheView, type KvCacheView } from './kvCacheView';
import { settingsForm } from './settingsForm';

/** Prompt tokens shown before the continuation (the rest are summarised). */
const PROMPT_SHOWN = 64;
const pct = (p: number) => `${(100 * p).toFixed(p < 0.001 ? 3 : 1)}%`;

function stoppedText(s: StoppedBy): string {
  switch (s) {
    case 'eos': return t('the model\'s end-of-sequence token');
    case 'stop-string': return t('a stop string');
    case 'max-new-tokens': return t('max new tokens');
    case 'positions': return t('the model\'s last position');
    case 'cancelled': return t('cancel');
  }
}

interface Run { id: number; model: string; prompt: { id: number; text: string }[]; shape: GenerateShape; steps: GenerateStepView[]; recorded: boolean; done: boolean }

export interface GenerateView {
  node: HTMLElement;
  receive(m: GenerateHostToWebview): void;
}

export function generateView(post: (m: WebviewToHost) => void): GenerateView {
  const status = el('p', { id: 'generate-status', class: 'muted', role: 'status' });
  const error = el('div', { id: 'generate-error' });
  const notice = el('p', { class: 'notice', id: 'generate-notice', hidden: true });
  const textBox = el('div', { id: 'generate-text', class: 'tokens generate-text' });
  const details = el('div', { id: 'generate-details' });
  const kvBox = el('div', { id: 'generate-kv' });
  const insertStatus = el('p', { id: 'generate-insert-status', role: 'status' });
  let run: Run | undefined;
  let kv: KvCacheView | undefined;
  let selected: number | undefined;
  let ranOnce = false;
  /** Show each new token as it comes, until the user clicks one. */
  let follow = true;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const start = () => {
    const settings = form.read();
    if (!settings) return;
    ranOnce = true;
    error.replaceChildren();
    insertStatus.textContent = '';
    status.textContent = t('Starting the model…');
    post({ type: 'requestGenerate', settings });
  };
  // Live settings: once something was generated, a valid change runs again (debounced while typing).
  const form = settingsForm(() => { if (!ranOnce) return; if (timer) clearTimeout(timer); timer = setTimeout(start, 400); });
  const runButton = button(t('Generate'), start, 'primary', 'generate-run');
  const cancelButton = button(t('Cancel'), () => post({ type: 'cancelGenerate' }), 'secondary', 'generate-cancel');
  const insertButton = button(t('Insert into editor'), () => { if (run?.done) post({ type: 'insertGeneration', run: run.id }); }, 'secondary', 'generate-insert');
  const running = (on: boolean) => {
    cancelButton.hidden = !on;
    if (on || !run?.done) insertButton.setAttribute('disabled', ''); else insertButton.removeAttribute('disabled');
  };
  running(false);

  const tokenButton = (s: GenerateStepView, i: number) => {
    const b = el('button', { class: 'gen-token', type: 'button', 'data-index': i, title: t('Step {0}: probability {1}', i + 1, pct(s.prob)), 'aria-pressed': String(selected === i) },
      tokenLabel(s.text), el('span', { class: 'gen-prob' }, pct(s.prob)));
    b.addEventListener('click', () => { follow = false; select(i); });
    return b;
  };

  const keyLabels = (r: Run) => [...r.prompt.map((p) => p.text), ...r.steps.map((s) => s.text)];

  function select(i: number): void {
    if (!run || !run.steps[i]) return;
    selected = i;
    for (const b of textBox.querySelectorAll('.gen-token')) b.setAttribute('aria-pressed', String(Number((b as HTMLElement).dataset.index) === i));
    const s = run.steps[i];
    const labels = keyLabels(run);
    const alternatives = el('table', { id: 'generate-alternatives', class: 'prob-table' },
      el('tr', {}, el('th', {}, t('token')), el('th', {}, t('probability'))),
      ...s.top.map((e) => {
        const bar = el('span', { class: 'prob-bar', 'aria-hidden': 'true' });
        bar.style.width = `${Math.round(60 * e.prob)}px`;
        return el('tr', { class: e.id === s.id ? 'chosen' : '' }, el('td', {}, el('code', { title: `id ${e.id}` }, tokenLabel(e.text))), el('td', { class: 'prob' }, bar, ' ', pct(e.prob)));
      }));
    const query = s.keys - 1;
    const parts: (HTMLElement | string)[] = [
      el('h4', {}, t('Token {0}: «{1}», probability {2}', i + 1, tokenLabel(s.text), pct(s.prob))),
      el('p', { class: 'muted' }, t('The top alternatives at this step ({0} ms):', s.ms.toFixed(1))), alternatives,
    ];
    if (s.attentions && s.attentions.length === run.shape.layers) {
      parts.push(el('p', {}, t('It was chosen by the query of the token before it, «{0}» at position {1}, reading {2} keys: the prompt and the {3} tokens generated before it.', tokenLabel(labels[query] ?? ''), query, s.keys, i)),
        attentionGrid(s.attentions, run.shape.heads, s.keys, run.prompt.length, labels));
    } else {
      parts.push(el('p', { class: 'muted' }, t('Attention rows were not recorded for this run: every step\'s rows would not fit the panel\'s memory budget.')));
    }
    details.replaceChildren(...parts);
    kv?.update(s.keys, s.keys); // the cache as this step read it: the prompt and the tokens before this one
  }

  function showPrompt(r: Run): void {
    const shown = r.prompt.slice(-PROMPT_SHOWN);
    textBox.replaceChildren(
      ...(r.prompt.length > shown.length ? [el('span', { class: 'muted' }, t('({0} earlier prompt tokens)', r.prompt.length - shown.length), ' ')] : []),
      ...shown.map((p) => el('span', { class: 'gen-prompt', title: `id ${p.id}` }, tokenLabel(p.text))));
  }

  function receive(m: GenerateHostToWebview): void {
    if (m.type === 'generateStart') {
      run = { id: m.run, model: m.model, prompt: m.prompt, shape: m.shape, steps: [], recorded: m.attentionRecorded, done: false };
      selected = undefined;
      follow = true;
      error.replaceChildren();
      details.replaceChildren();
      showPrompt(run);
      notice.hidden = !m.notice;
      notice.textContent = m.notice ?? '';
      kv = kvCacheView(m.shape, m.prompt.length);
      kvBox.replaceChildren(kv.node);
      status.textContent = t('Generating with {0}…', m.model);
      running(true);
      return;
    }
    if (m.type === 'generateInserted') { insertStatus.className = m.ok ? 'muted' : 'error'; insertStatus.textContent = m.message; return; }
    if (m.type === 'generateError') {
      status.textContent = '';
      running(false);
      error.replaceChildren(
        ...(m.notGenerative ? [el('p', { class: 'notice', id: 'generate-not-generative' }, t('This model is not a generative model: it has no causal language-model head, so it cannot continue text. A masked language model such as BERT fills in [MASK] tokens instead: open the Attention tab and its Predictions view for its guesses at each [MASK] and the pre-training masking demo, or pick a GPT-style model.'))] : []),
        el('p', { class: 'error', role: 'alert' }, m.message));
      return;
    }
    if (!run || m.run !== run.id) return; // an older run's late message
    if (m.type === 'generateStep') {
      if (m.index !== run.steps.length || !isGenerateStep(m.step, run.shape.layers, run.shape.heads)) return;
      run.steps.push(m.step);
      textBox.append(tokenButton(m.step, m.index));
      status.textContent = t('Generating with {0}… {1} new tokens', run.model, run.steps.length);
      if (follow) select(run.steps.length - 1);
      return;
    }
    // generateDone
    run.done = true;
    running(false);
    const s = m.summary;
    status.textContent = t('{0} new tokens · stopped by {1} · prefill {2} ms · {3} ms per new token · KV cache {4} KiB', s.newIds.length, stoppedText(s.stoppedBy), s.prefillMs.toFixed(1), s.msPerToken.toFixed(2), (s.kvCacheBytes / 1024).toFixed(1));
    kv?.measured(s);
  }

  const node = el('section', { id: 'generate-view' },
    el('p', { class: 'muted' }, t('The model (setting transformerTracer.model) continues the selected text one token at a time. Click a new token to see its alternatives and what it attended to.')),
    form.node,
    el('div', { class: 'attention-pickers' }, runButton, cancelButton, insertButton),
    status, insertStatus, notice, error, textBox, details, kvBox,
    generateExplanation('generate-kvcache'), generateExplanation('autoregressive'), generateExplanation('greedy'), generateExplanation('diversity'), explanation('sampling'));
  return { node, receive };
}
