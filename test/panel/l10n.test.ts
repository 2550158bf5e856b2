/**
 * Simplified Chinese covers everything: each string the webview translates has an entry
 * in l10n/bundle.l10n.zh-cn.json with the same {n} placeholders; no user-visible English
 * literal in the webview or host code bypasses t() / vscode.l10n.t() (tools/l10n-literals.mjs);
 * no zh-CN entry is the English text except symbols and names; package.nls.zh-cn.json
 * has every key of package.nls.json; every %key% in package.json is defined.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const json = (f: string) => JSON.parse(readFileSync(join(root, f), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join(' ');

describe('translations (zh-CN)', () => {
  it('every webview string has a Chinese translation with the same placeholders', async () => {
    const { l10nStrings } = (await import(join(root, 'tools', 'l10n-strings.mjs'))) as { l10nStrings: (r: string) => string[] };
    const strings = l10nStrings(root);
    const zh = json('l10n/bundle.l10n.zh-cn.json');
    assert.ok(strings.length > 80, `${strings.length} strings found`);
    const missing = strings.filter((s) => !(s in zh));
    assert.deepEqual(missing, []);
    for (const s of strings) {
      assert.equal(placeholders(zh[s]), placeholders(s), `placeholders of ${JSON.stringify(s.slice(0, 40))}`);
      if (/[a-z]{4,}/.test(s.replace(/\{\d+\}|[A-Z][\w-]*|d_\w+|softmax|exp/g, ''))) assert.ok(/[\u4e00-\u9fff]/.test(zh[s]), `${JSON.stringify(s.slice(0, 40))} is translated`);
    }
  });

  it('no user-visible English literal bypasses the translation (webview and host code)', async function () {
    this.timeout(60_000); // parses every webview and host file with the TypeScript compiler
    const { untranslatedLiterals } = (await import(join(root, 'tools', 'l10n-literals.mjs'))) as { untranslatedLiterals: (r: string) => [string, string][] };
    assert.deepEqual(untranslatedLiterals(root).map(([at, text]) => `${at}  ${text}`), []);
  });

  it('the literal scan finds text on screen and passes code (a fixture it has to judge)', async () => {
    const { untranslatedLiterals } = (await import(join(root, 'tools', 'l10n-literals.mjs'))) as { untranslatedLiterals: (r: string, dirs: string[]) => [string, string][] };
    const dir = mkdtempSync(join(tmpdir(), 'l10n-scan-'));
    mkdirSync(join(dir, 'l10n')); mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'l10n', 'bundle.l10n.zh-cn.json'), '{}');
    writeFileSync(join(dir, 'src', 'view.ts'), [
      "import { el } from '../dom';",
      "el('h4', {}, 'Pipeline');", // a heading: one word is enough
      "void vscode.window.showErrorMessage('Transformer Tracer: the model broke');",
      'post({ type: \'busy\', what: `Running ${model}…` });',
      "el('span', { class: 'token special', id: 'step-table', 'data-topic': 'two words' }, t('Fine text here'));",
      "if (mode === 'byte level') console.warn('a developer message here');",
      "throw new Error('an internal error nobody translates');",
      "el('p', {}, 'Transformer Tracer', ' · ', 'GPT-2');",
    ].join('\n'));
    assert.deepEqual(untranslatedLiterals(dir, ['src']).map(([at, text]) => `${at} ${text}`),
      ['src/view.ts:2 Pipeline', 'src/view.ts:3 Transformer Tracer: the model broke', 'src/view.ts:4 Running {}…']);
  });

  it('no zh-CN entry is left in English, except symbols and names', () => {
    const zh = json('l10n/bundle.l10n.zh-cn.json');
    const same = Object.entries(zh).filter(([en, cn]) => en === cn).map(([en]) => en).sort();
    assert.deepEqual(same, ['CSV', 'JSON', 'PNG', 'q = {0}', 'softmax', '→ [MASK]']);
  });

  it('package.nls.zh-cn.json matches package.nls.json and package.json', () => {
    const en = json('package.nls.json'), zh = json('package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    const refs = [...readFileSync(join(root, 'package.json'), 'utf8').matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]);
    assert.ok(refs.length >= 10);
    for (const r of refs) assert.ok(r in en, `%${r}% is defined`);
  });
});
