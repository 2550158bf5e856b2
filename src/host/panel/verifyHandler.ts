/**
 * The host's side of the verified badge (src/shared/verifyProtocol.ts): once the Tokens or
 * Attention view has its answer, ask the worker to check it (js-tiktoken on the selection;
 * the first layer on both kernels) and post the result — or why the check failed to run,
 * which the badge shows as prominently as a disagreement. Off the critical path: the view's
 * own answer has been posted before the check is asked for.
 */
import type { EngineClient } from '../engineClient';
import type { HostToWebview } from '../../shared/protocol';
import type { SpecialMode } from '../../shared/engineProtocol';
import { VERIFY_MAX_CHARS } from '../../shared/verifyProtocol';
import { engineErrorText } from '../engineErrorText';

export class VerifyHandler {
  private latest = { tokens: 0, attention: 0 };

  constructor(private readonly engine: EngineClient, private readonly post: (m: HostToWebview) => void) {}

  /** Check the Tokens view's ids on `text` (its first VERIFY_MAX_CHARS characters). */
  async tokens(tokenizer: string, text: string, special: SpecialMode): Promise<void> {
    const run = ++this.latest.tokens;
    const cut = text.length > VERIFY_MAX_CHARS;
    try {
      const result = await this.engine.request({ kind: 'verify', check: 'tokenizer', tokenizer, text: cut ? text.slice(0, VERIFY_MAX_CHARS) : text, special });
      if (run === this.latest.tokens) this.post({ type: 'verified', view: 'tokens', result, ...(cut ? { checkedChars: VERIFY_MAX_CHARS } : {}) });
    } catch (e) {
      if (run === this.latest.tokens) this.post({ type: 'verifyError', view: 'tokens', message: engineErrorText(e) });
    }
  }

  /** Check the Attention view's model (a folder) on `text`: the first layer on both kernels. */
  async attention(model: string, text: string): Promise<void> {
    const run = ++this.latest.attention;
    try {
      const result = await this.engine.request({ kind: 'verify', check: 'model', model, text });
      if (run === this.latest.attention) this.post({ type: 'verified', view: 'attention', result });
    } catch (e) {
      if (run === this.latest.attention) this.post({ type: 'verifyError', view: 'attention', message: engineErrorText(e) });
    }
  }
}
