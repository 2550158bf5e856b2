/**
 * The panel's HTML shell: every generated page has exactly one CSP meta tag with
 * `default-src 'none'` and a nonce-only `script-src`, a fresh nonce each time, and no
 * markup from the title (the XSS corpus as titles).
 */
import { strict as assert } from 'node:assert';
import { panelHtml } from '../../src/host/panel/panelHtml';
import { XSS_PAYLOADS } from '../webview/xssCorpus';

const parts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/media/panel.css' };

describe('panel HTML and CSP', () => {
  it(`one CSP meta, default-src 'none', nonce-only scripts, for ${XSS_PAYLOADS.length} hostile titles`, () => {
    const nonces = new Set<string>();
    for (const title of XSS_PAYLOADS) {
      const html = panelHtml({ ...parts, title });
      const metas = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g) ?? [];
      assert.equal(metas.length, 1);
      assert.equal((html.match(/Content-Security-Policy/g) ?? []).length, 1);
      const csp = /content="([^"]*)"/.exec(metas[0])![1].replace(/&#39;/g, "'");
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
      assert.deepEqual(directives['default-src'], ["'none'"]);
      assert.equal(directives['script-src'].length, 1);
      const nonce = /^'nonce-([A-Za-z0-9]{16,})'$/.exec(directives['script-src'][0]);
      assert.ok(nonce, `script-src is only a nonce: ${directives['script-src']}`);
      assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
      nonces.add(nonce[1]);
      const scripts = html.match(/<script[^>]*>/g) ?? [];
      assert.equal(scripts.length, 1);
      assert.ok(scripts.every((s) => s.includes(`nonce="${nonce[1]}"`)));
      const titleText = /<title>([\s\S]*)<\/title>/.exec(html)![1];
      assert.ok(!/[<>&"']/.test(titleText), 'no markup characters in the title');
    }
    assert.equal(nonces.size, XSS_PAYLOADS.length, 'a fresh nonce per render');
  });

  it('the inline boot script carries the nonce, comes before the stylesheet (which would hold it back), and cannot close its element', () => {
    const html = panelHtml({ ...parts, title: 't', bootScript: 'window.x = "</script><img src=x onerror=alert(1)>";' });
    const nonce = /'nonce-([A-Za-z0-9]+)'/.exec(html)![1];
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 2);
    assert.ok(scripts.every((s) => s.includes(`nonce="${nonce}"`)));
    assert.ok(html.indexOf('window.x') < html.indexOf('<link rel="stylesheet"'), 'boot before the stylesheet');
    assert.equal((html.match(/<\/script>/g) ?? []).length, 2, 'only the two real closing tags');
    assert.ok(html.indexOf('</script>') > html.indexOf('onerror'), 'the first closing tag comes after the payload: it stays script text');
  });
});
