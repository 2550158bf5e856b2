/**
 * The verified badge (issue 27 item 3): how the numbers of the Tokens or Attention view were
 * checked, drawn from the worker's live check (src/shared/verifyProtocol.ts) — ids equal
 * js-tiktoken's on this selection, the first layer's kernels agree to 3e-7, the engine is
 * tested against transformers on this architecture. A failed check, or one that could not
 * run, is an alert in the error style, never hidden.
 */
import { formatDelta, type ModelVerification, type TokenizerVerification, type VerifyHostToWebview } from '../../src/shared/verifyProtocol';
import { el } from '../dom';
import { t } from '../l10n';

type Line = { text: string; failed?: boolean };


function tokenizerLines(r: TokenizerVerification, checkedChars?: number): Line[] {
  const enc = r.encoding ?? '';
  if (r.status === 'ok') {
    return [{ text: checkedChars
      ? t('✓ ids equal js-tiktoken ({0}) on the first {1} characters of this selection ({2} tokens)', enc, checkedChars.toLocaleString(), r.tokens.toLocaleString())
      : t('✓ ids equal js-tiktoken ({0}) on this selection ({1} tokens)', enc, r.tokens.toLocaleString()) }];
  }
  if (r.status === 'failed') {
    const m = r.firstMismatch!;
    return [{ failed: true, text: t('✗ ids differ from js-tiktoken ({0}) at token {1}: the engine gave {2}, js-tiktoken {3}', enc, m.index, m.engine ?? '—', m.reference ?? '—') }];
  }
  return [{ text: r.encoding
    ? t("Not checked live: js-tiktoken's ranks for {0} are not installed here", enc)
    : t('Not checked live: js-tiktoken covers only the tiktoken encodings (gpt2, p50k_base, cl100k_base, o200k_base)') }];
}

function modelLines(r: ModelVerification): Line[] {
  const k = r.kernels;
  const lines: Line[] = [];
  if (k.status === 'ok') lines.push({ text: t('✓ WebAssembly and TypeScript kernels agree to {0} on the first layer ({1} tokens)', formatDelta(k.maxDelta ?? 0), k.tokens) });
  else if (k.status === 'failed') lines.push({ failed: true, text: t('✗ the WebAssembly and TypeScript kernels disagree by {0} on the first layer (tolerance {1})', formatDelta(k.maxDelta ?? Infinity), formatDelta(k.tolerance)) });
  else lines.push({ text: k.tokens === 0 ? t('Kernels not compared: the selection has no tokens') : t('Kernels not compared: WebAssembly SIMD is not available here, so only the TypeScript kernel ran') });
  const p = r.provenance;
  lines.push({ text: p.tested
    ? t('Engine tested against Hugging Face transformers {0} on this architecture ({1})', p.transformers ?? '', p.modelType)
    : t('{0}: no golden test against Hugging Face transformers covers this architecture yet', p.modelType) });
  return lines;
}

/** The badge for one check; failed lines carry role="alert". */
export function renderVerifiedBadge(m: VerifyHostToWebview): HTMLElement {
  const lines: Line[] = m.type === 'verifyError'
    ? [{ failed: true, text: t('✗ the check could not run: {0}', m.message) }]
    : m.result.check === 'tokenizer' ? tokenizerLines(m.result, m.checkedChars) : modelLines(m.result);
  const badge = el('div', { class: 'verified-badge', 'aria-label': t('How these numbers were checked'), 'data-view': m.view });
  for (const line of lines) {
    badge.append(el('div', line.failed ? { class: 'error verify-failed', role: 'alert' } : { class: 'verified-line' }, line.text));
  }
  return badge;
}

/** Put the badge at the top of `pane`, replacing an older one. */
export function showVerifiedBadge(pane: HTMLElement, m: VerifyHostToWebview): void {
  pane.querySelector(':scope > .verified-badge')?.remove();
  pane.prepend(renderVerifiedBadge(m));
}
