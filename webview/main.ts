/**
 * The panel's entry point: builds the layout (tokenizer picker; tabs for Tokens, Trace
 * and Train BPE), says `ready`, then renders what the host sends. Incoming messages are
 * validated; unknown ones are ignored with a console note. UI state survives reloads
 * through setState.
 */
import { HostToWebview, isHostToWebview, TokenizeResult } from '../src/shared/protocol';
import { divider, dropdown, registerToolkit, tabs } from './components/toolkit';
import { clear, el } from './dom';
import { boot, vscode } from './vscodeApi';
import { renderTokens } from './views/tokensView';
import { renderTrace } from './views/traceView';
import { renderTrainForm, renderTrainResult } from './views/trainView';
import { renderInspector, type InspectorHandle } from './views/attention/inspector';
import type { InspectorState } from './views/attention/state';
import { warmUpInspector } from './views/attention/warmUp';
import { generateView, type GenerateView } from './views/generate/generateView';
import { residualView } from './views/residual/residualView';
import { compareView } from './views/compare/compareView';
import { questionsView } from './views/questionsView';
import { showVerifiedBadge } from './components/verifiedBadge';
import { setBundle, t } from './l10n';
import { hostMarks, mark, tokensShown } from './timing';
import { decodeNonFinite } from '../src/shared/channelWire';
import { decodeTokensBytes } from '../src/shared/tokensWire';

mark('mainStart');
registerToolkit();

const app = document.getElementById('app')!;
const header = el('header', { id: 'header' });
const status = el('p', { id: 'status', class: 'muted', role: 'status' });
const tokensPane = el('div', { id: 'tokens-pane' }, el('p', { class: 'muted' }, t('Select text in an editor and run “Transformer Tracer: Tokenize Selection”.')));
const tracePane = el('div', { id: 'trace-pane' }, el('p', { class: 'muted' }, t('Click a token to see how it was made.')));
const trainResult = el('div', { id: 'train-result' });
const trainForm = () => renderTrainForm((mode, merges, minFrequency, example) => vscode.postMessage({ type: 'train', mode, merges, minFrequency, ...(example ? { example: true as const } : {}) }));
const trainPane = el('div', { id: 'train-pane' }, trainForm(), trainResult);
const attentionPane = el('div', { id: 'attention-pane' }, el('p', { class: 'muted' }, t('Open this tab to run the model (setting transformerTracer.model) on the selection.')));
const generatePane = el('div', { id: 'generate-pane' });
let generate: GenerateView | undefined;
/** The Generate view, built again when `init` brings the translations. */
const buildGenerate = () => { generate = generateView((m) => vscode.postMessage(m)); generatePane.replaceChildren(generate.node); };
buildGenerate();
const residualPane = el('div', { id: 'residual-pane' });
let residual = residualView((m) => vscode.postMessage(m));
residualPane.append(residual.node);
const comparePane = el('div', { id: 'compare-pane' });
let compare = compareView((m) => vscode.postMessage(m));
comparePane.append(compare.node);
const questionsPane = el('div', { id: 'questions-pane' });
let questions = questionsView((m) => vscode.postMessage(m));
questionsPane.append(questions.node);
/** What the Questions tab links to: the selection, the last run's model and the inspector's layer, head and token. */
const askQuestions = () => questions.refresh({ tokens: last?.tokens, attention: lastAttention, state: inspector?.state() ?? (inspectorState as InspectorState | undefined), model });
const tabSet = tabs('views', [['Tokens', tokensPane], ['Trace', tracePane], ['Train BPE', trainPane], ['Attention', attentionPane], ['Generate', generatePane], ['Residual stream', residualPane], ['Compare & chat', comparePane], ['Questions', questionsPane]], (index) => {
  activeTab = index;
  if (index === 3 && last) vscode.postMessage({ type: 'requestAttention' });
  if (index === 5 && last) residual.request();
  if (index === 7) askQuestions();
});
app.append(header, status, divider(), tabSet.node);
mark('layoutBuilt');

let last: TokenizeResult | undefined;

/** The layout is built before `init` brings the translations: put them in now. */
function translateStatic(): void {
  ['Tokens', 'Trace', 'Train BPE', 'Attention'].forEach((title, i) => { const tab = document.getElementById(`views-tab-${i}`); if (tab) tab.textContent = t(title); });
  const generateTab = document.getElementById('views-tab-4');
  if (generateTab) generateTab.textContent = t('Generate');
  const residualTab = document.getElementById('views-tab-5');
  if (residualTab) residualTab.textContent = t('Residual stream');
  residual = residualView((m) => vscode.postMessage(m));
  residualPane.replaceChildren(residual.node);
  const compareTab = document.getElementById('views-tab-6');
  if (compareTab) compareTab.textContent = t('Compare & chat');
  compare = compareView((m) => vscode.postMessage(m));
  comparePane.replaceChildren(compare.node);
  const questionsTab = document.getElementById('views-tab-7');
  if (questionsTab) questionsTab.textContent = t('Questions');
  questions = questionsView((m) => vscode.postMessage(m));
  questionsPane.replaceChildren(questions.node);
  buildGenerate();
  trainPane.replaceChildren(trainForm(), trainResult);
  const hints: [HTMLElement, string][] = [
    [tokensPane, t('Select text in an editor and run “Transformer Tracer: Tokenize Selection”.')],
    [tracePane, t('Click a token to see how it was made.')],
    [attentionPane, t('Open this tab to run the model (setting transformerTracer.model) on the selection.')],
  ];
  for (const [pane, hint] of hints) { const p = pane.querySelector(':scope > p.muted'); if (p && pane.childElementCount === 1) p.textContent = t(hint); }
}
let inspector: InspectorHandle | undefined;
let lastAttention: { model: string; causal: boolean; seq2seq?: unknown } | undefined;
let warmedUp = false;
let models: string[] = [];
let model = '';
let activeTab = 0;
let inspectorState: Partial<InspectorState> | undefined;
const save = () => vscode.setState({ last, inspector: inspectorState });

/**
 * Warm the inspector's code up once the panel is idle — after the first tokens are on
 * screen, not before: the warm-up is a synthetic inspector render (one long task) the
 * tokens view does not need, and started between `init` and `tokens` (an idle gap while
 * the tokens cross from the host) it would hold the first tokens paint back.
 */
function warmUpWhenIdle(): void {
  if (warmedUp) return;
  warmedUp = true;
  const warm = () => { if (!inspector) warmUpInspector(); };
  if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 2000 }); else setTimeout(warm, 200);
}

function show(msg: HostToWebview): void {
  switch (msg.type) {
    case 'init':
      setBundle(msg.strings);
      translateStatic();
      setTimeout(warmUpWhenIdle, 1000); // if no tokens come (a docked view before any selection)
      models = msg.models;
      model = msg.model;
      document.documentElement.lang = msg.locale;
      document.body.dataset.activationMs = String(msg.activationMs);
      clear(header);
      header.append(dropdown('tokenizer', t('Tokenizer'), msg.tokenizers, msg.current, (name) => vscode.postMessage({ type: 'pickTokenizer', name })));
      break;
    case 'busy':
      status.textContent = msg.what;
      break;
    case 'tokensBytes': { // the tokens message, its result as UTF-8 JSON bytes (tokensWire.ts): checked as a tokens message is
      let tokens: unknown;
      try { tokens = { type: 'tokens', result: decodeTokensBytes(msg.bytes) }; } catch { tokens = undefined; }
      if (isHostToWebview(tokens) && tokens.type === 'tokens') show(tokens); else console.warn('Transformer Tracer: ignored tokens that are not a tokenize result');
      break;
    }
    case 'tokens':
      mark('tokensReceived');
      last = msg.result;
      status.textContent = '';
      clear(tokensPane);
      tokensPane.append(renderTokens(msg.result, {
        inspect: (index) => { vscode.postMessage({ type: 'inspectToken', index }); tabSet.select(1); },
        reveal: (index) => vscode.postMessage({ type: 'revealToken', index }),
      }));
      tokensShown(warmUpWhenIdle);
      save();
      // A new selection while the Attention tab is open: run the model on it too.
      if (activeTab === 3) vscode.postMessage({ type: 'requestAttention' });
      if (activeTab === 5) residual.request();
      if (activeTab === 7) askQuestions();
      break;
    case 'trace':
      clear(tracePane);
      tracePane.append(renderTrace(msg.result, last?.tokens[msg.result.tokenIndex]));
      break;
    case 'trained':
      status.textContent = '';
      clear(trainResult);
      trainResult.append(renderTrainResult(msg.result));
      break;
    case 'showTab':
      if (inspectorState?.stepFocus) inspectorState = { ...inspectorState, stepFocus: undefined };
      tabSet.select(['tokens', 'trace', 'train', 'attention'].indexOf(msg.tab));
      break;
    case 'showStep':
      // The code hover's link: the inspector (this one, and the one the new selection's run
      // draws) opens the step trace scrolled to the step (src/shared/stepFocus.ts).
      inspectorState = { ...inspectorState, stepFocus: msg.step };
      save();
      tabSet.select(3);
      inspector?.focusStep(msg.step);
      break;
    case 'attention':
      status.textContent = '';
      clear(attentionPane);
      model = msg.result.model;
      lastAttention = { model: msg.result.model, causal: msg.result.causal, seq2seq: msg.result.seq2seq };
      inspector = renderInspector(msg.result, {
        models: models.includes(model) ? models : [...models, model], model, saved: inspectorState,
        post: (m) => vscode.postMessage(m),
        persist: (s) => { inspectorState = s; save(); },
      });
      attentionPane.append(inspector.node);
      inspector.mounted();
      break;
    case 'step':
      inspector?.step(msg.trace);
      break;
    case 'maskDemo':
      inspector?.maskDemo(msg.result);
      break;
    case 'maskDemoError':
      inspector?.maskDemoError(msg.message);
      break;
    case 'stepError':
      inspector?.stepError(msg.message);
      break;
    case 'translated':
      inspector?.translated(msg.text);
      break;
    case 'translateError':
      inspector?.translateError(msg.message);
      break;
    case 'cursor':
      inspector?.cursor(msg.offset);
      break;
    case 'timing':
      hostMarks(msg.marks);
      break;
    case 'residual': case 'residualError': case 'embedding': case 'embeddingError':
      residual.receive(msg);
      break;
    case 'compared': case 'compareError': case 'chatted': case 'chatError':
      compare.receive(msg);
      break;
    case 'verified': case 'verifyError':
      showVerifiedBadge(msg.view === 'tokens' ? tokensPane : attentionPane, msg);
      break;
    case 'generateStart': case 'generateStep': case 'generateDone': case 'generateError': case 'generateInserted':
      generate?.receive(msg);
      break;
    case 'attentionError':
      status.textContent = '';
      clear(attentionPane);
      attentionPane.append(el('p', { class: 'error', role: 'alert', id: 'attention-error' }, msg.message));
      break;
    case 'error':
      status.textContent = '';
      clear(tokensPane);
      tokensPane.append(el('p', { class: 'error', role: 'alert', id: 'error' }, msg.message));
      break;
  }
}

const receive = (event: MessageEvent) => {
  const data = decodeNonFinite(event.data); // −∞, NaN as the host spelled them for VS Code's JSON (channelWire.ts)
  if (!isHostToWebview(data)) { console.warn('Transformer Tracer: ignored an unknown message', data); return; }
  show(data);
};
window.addEventListener('message', receive);

const saved = vscode.getState() as { last?: TokenizeResult; inspector?: Partial<InspectorState> } | undefined;
inspectorState = saved?.inspector;
if (saved?.last && Array.isArray(saved.last.tokens)) show({ type: 'tokens', result: saved.last });
if (boot) {
  // the boot script said `ready` while this bundle loaded: take over what it kept
  boot.stop();
  mark('pageStart', boot.startedAt);
  mark('readyPosted', boot.readyAt);
  for (const event of boot.early.splice(0)) receive(event);
} else {
  vscode.postMessage({ type: 'ready' });
  mark('readyPosted');
}

// VS Code changes the body's theme class (and the --vscode-* variables) when the colour
// theme changes: what the canvases drew in the old colours is drawn again.
new MutationObserver(() => inspector?.repaint()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
