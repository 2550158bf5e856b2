/**
 * Simplified Chinese covers everything: each string the webview translates has an entry
 * in l10n/bundle.l10n.zh-cn.json with the same {n} placeholders; package.nls.zh-cn.json
 * has every key of package.nls.json; every %key% in package.json is defined.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
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

  it('package.nls.zh-cn.json matches package.nls.json and package.json', () => {
    const en = json('package.nls.json'), zh = json('package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    const refs = [...readFileSync(join(root, 'package.json'), 'utf8').matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]);
    assert.ok(refs.length >= 10);
    for (const r of refs) assert.ok(r in en, `%${r}% is defined`);
  });
});
