/**
 * The panel's Residual stream tab: three views of what happens inside a model's layers —
 * the logit lens, per-token loss (both from one request, for causal LMs; encoders get the
 * reason and what to use instead) and embeddings (every model). Receives the tab's
 * messages (residualProtocol.ts); asks again when the selection or the model changes.
 */
import type { ResidualHostToWebview } from '../../../src/shared/residualProtocol';
import type { WebviewToHost } from '../../../src/shared/protocol';
import { tabs } from '../../components/toolkit';
import { el } from '../../dom';
import { t } from '../../l10n';
import { embeddingsView } from './embeddingsView';
import { lensView } from './lensView';
import { lossView } from './lossView';
import { notCausalExplain } from './residualExplain';

export interface ResidualView { node: HTMLElement; receive(m: ResidualHostToWebview): void; request(): void }

export function residualView(post: (m: WebviewToHost) => void): ResidualView {
  const waiting = () => el('p', { class: 'muted' }, t('Select text and open this tab: the model runs on it.'));
  const lensBox = el('div', { id: 'lens-box' }, waiting()), lossBox = el('div', { id: 'loss-box' }, waiting());
  const embeddings = embeddingsView(post);
  const sub = tabs('residual', [[t('Logit lens'), lensBox], [t('Token loss'), lossBox], [t('Embeddings'), embeddings.node]], (i) => { if (i === 2) embeddings.askOnce(); });
  return {
    node: el('section', { id: 'residual-view' }, sub.node),
    request() {
      const busy = () => el('p', { class: 'muted' }, t('Running the model on the selection…'));
      lensBox.replaceChildren(busy()); lossBox.replaceChildren(busy());
      post({ type: 'requestResidual' });
    },
    receive(m) {
      switch (m.type) {
        case 'residual':
          lensBox.replaceChildren(lensView(m.lens, post));
          lossBox.replaceChildren(m.loss ? lossView(m.loss, post) : el('p', { class: 'muted', id: 'loss-problem' }, m.lossProblem ?? ''));
          break;
        case 'residualError': {
          const body = () => [el('p', { class: 'error', role: 'alert', id: 'residual-error' }, m.message), ...(m.notCausal ? [notCausalExplain()] : [])];
          lensBox.replaceChildren(...body()); lossBox.replaceChildren(...body());
          if (m.notCausal) (lossBox.querySelector('details') as HTMLDetailsElement | null)?.setAttribute('open', '');
          break;
        }
        case 'embedding': embeddings.show(m.result); break;
        case 'embeddingError': embeddings.error(m.message); break;
      }
    },
  };
}
