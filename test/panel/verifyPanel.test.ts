/**
 * The verified badge's messages (src/shared/verifyProtocol.ts): the host → webview message made
 * from real worker answers passes the webview's validation, a malformed one does not, and the
 * badge's number format reads as the issue asks ("kernels agree to 3e-7").
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { handle } from '../../src/engine/worker/handlers';
import { verifyTokenizer } from '../../src/engine/worker/verify';
import { isHostToWebview } from '../../src/shared/protocol';
import { formatDelta } from '../../src/shared/verifyProtocol';
import { HF_FIXTURES } from '../engine/fixtures';

describe('verified badge: messages and format', () => {
  it('real answers (agreeing, failing, unavailable) pass the webview validation', () => {
    const ok = handle({ kind: 'verify', check: 'tokenizer', tokenizer: 'cl100k_base', text: 'Hello, 世界', special: 'default' });
    const failed = verifyTokenizer({ kind: 'verify', check: 'tokenizer', tokenizer: 'gpt2', text: 'Hello', special: 'default' }, () => [1]);
    const none = handle({ kind: 'verify', check: 'tokenizer', tokenizer: 'bert-base-uncased', text: 'Hello', special: 'default' });
    const model = handle({ kind: 'verify', check: 'model', model: join(HF_FIXTURES, 'models', 'gpt2-tiny'), text: 'Hello world' });
    for (const result of [ok, failed, none]) assert.ok(isHostToWebview({ type: 'verified', view: 'tokens', result }), JSON.stringify(result));
    assert.ok(isHostToWebview({ type: 'verified', view: 'attention', result: model }));
    assert.ok(isHostToWebview({ type: 'verifyError', view: 'attention', message: 'no such folder' }));
    assert.equal(failed.status, 'failed');
  });

  it('malformed verify messages are refused', () => {
    const ok = handle({ kind: 'verify', check: 'tokenizer', tokenizer: 'gpt2', text: 'Hello', special: 'default' });
    assert.equal(isHostToWebview({ type: 'verified', view: 'trace', result: ok }), false);
    assert.equal(isHostToWebview({ type: 'verified', view: 'tokens', result: { ...ok, status: 'maybe' } }), false);
    assert.equal(isHostToWebview({ type: 'verified', view: 'attention', result: { check: 'model', kernels: { status: 'ok', tolerance: 1e-4 } } }), false);
    assert.equal(isHostToWebview({ type: 'verifyError', view: 'tokens' }), false);
  });

  it('max |Δ| reads as one significant digit: 3e-7', () => {
    assert.equal(formatDelta(3.1e-7), '3e-7');
    assert.equal(formatDelta(2.86102294921875e-6), '3e-6');
    assert.equal(formatDelta(0), '0');
    assert.equal(formatDelta(Infinity), 'Infinity');
    assert.equal(formatDelta(1e-4), '1e-4');
  });
});
