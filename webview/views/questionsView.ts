/**
 * The Questions tab: the fourteen questions of the learners' notes (questionLinks.ts), each
 * with links to the view that answers it with the current selection's own numbers and the
 * layer, head and token the step trace will show. A link selects the tabs on its path as
 * they are built (the views build lazily and a new run rebuilds them), scrolls to its
 * element and opens its explanation; a link that needs another kind of model loads the
 * bundled one it names first.
 */
import { el, tokenLabel } from '../dom';
import { t } from '../l10n';
import { modelKind, QUESTIONS, questionLinks, type QuestionLink, type QuestionsContext } from './questionLinks';

/** A pending jump: the tabs to keep selected and the element to scroll to, until `until`. */
interface Jump { link: QuestionLink; until: number; shown?: Element }
let jump: Jump | undefined;
let timer: ReturnType<typeof setInterval> | undefined;

function stop(): void {
  jump = undefined;
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
}

/** A click on the tab, as the user's: the tab sets run their own work (a model run, a lazy view) on a click, not on a changed attribute. */
function selectTab(step: QuestionLink['path'][number]): void {
  document.getElementById(`${step.panels}-tab-${step.tab}`)?.click();
}

/** Select the inner tabs, then scroll to the anchor once it is drawn (the views build lazily and a new run rebuilds them). */
function settle(): void {
  if (!jump || Date.now() > jump.until) { stop(); return; }
  for (const step of jump.link.path.slice(1)) {
    const panels = document.getElementById(step.panels);
    if (!panels) return;
    if (panels.getAttribute('activeid') !== `${step.panels}-tab-${step.tab}`) selectTab(step);
  }
  const anchor = document.getElementById(jump.link.anchor);
  if (!anchor || anchor === jump.shown) return;
  // the explanation in the same view as the anchor (the step trace's "More questions" repeat some topics)
  const scope = anchor.closest('vscode-panel-view') ?? document;
  const topic = jump.link.topic ? scope.querySelector(`details[data-topic="${jump.link.topic}"]`) : null;
  if (topic) topic.setAttribute('open', '');
  jump.shown = anchor;
  anchor.scrollIntoView({ block: 'start' });
  jump.until = Math.min(jump.until, Date.now() + 2000); // a rebuild right after still finds its place
}

function go(link: QuestionLink, post: (m: { type: 'pickModel'; name: string }) => void): void {
  if (link.load) post({ type: 'pickModel', name: link.load });
  jump = { link, until: Date.now() + 60_000 };
  selectTab(link.path[0]);
  // a tab set built a moment ago may not take a click yet, and a new run rebuilds the views: look again until the element is shown
  timer ??= setInterval(settle, 100);
  settle();
}

/** The chosen layer, head and token, as the step trace will show them. */
function stepLabel(ctx: QuestionsContext): string {
  const s = ctx.state ?? { layer: 0, heads: [0], query: 0 };
  const token = ctx.tokens?.[s.query]?.text;
  return token === undefined ? t('layer {0}, head {1}', s.layer, s.heads[0] ?? 0) : t('layer {0}, head {1}, token {2} “{3}”', s.layer, s.heads[0] ?? 0, s.query, tokenLabel(token));
}

// the user choosing a tab themselves ends a pending jump (the jump's own clicks are not trusted events)
if (typeof document !== 'undefined') document.addEventListener('click', (e) => { if (jump && e.isTrusted && (e.target as Element | null)?.closest?.('vscode-panel-tab')) stop(); }, true);

export function questionsView(post: (m: { type: 'pickModel'; name: string }) => void): { node: HTMLElement; refresh(ctx: QuestionsContext): void } {
  const list = el('ol', { id: 'questions-list' });
  const intro = el('p', { class: 'muted', id: 'questions-intro' });
  const refresh = (ctx: QuestionsContext) => {
    const kind = modelKind(ctx);
    intro.textContent = ctx.tokens ? t('Each link opens the view that answers the question with your selection\'s numbers; model: {0}.', ctx.attention?.model ?? ctx.model) : t('Select text in an editor and run “Transformer Tracer: Tokenize Selection”: the answers use your selection.');
    list.replaceChildren(...QUESTIONS.map((q, i) => el('li', { id: `question-${i + 1}` }, el('p', {}, t(q)),
      el('ul', {}, ...questionLinks(i + 1, kind).map((link) => {
        const where = link.path.map((p) => t(p.tabTitle)).join(' › ');
        const a = el('a', { href: '#', class: 'question-link', 'data-anchor': link.anchor }, link.load ? t('Load {0}, then {1}', link.load, where) : where);
        a.addEventListener('click', (e) => { e.preventDefault(); go(link, post); });
        return el('li', {}, a, link.step ? ` (${stepLabel(ctx)})` : '', ' — ', t(link.answer),
          link.load ? el('span', { class: 'muted' }, ' ', t('The loaded model cannot show this: load {0}.', link.load)) : '');
      })))));
  };
  refresh({ model: '' });
  return { node: el('section', { id: 'questions-view' }, el('h3', {}, t('Questions')), intro, list), refresh };
}
