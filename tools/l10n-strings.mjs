// Lists every string the webview and host pass to t() / l10n.t(), the keys of
// l10n/bundle.l10n.*.json (run: node tools/l10n-strings.mjs). The l10n test uses the same scan.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function l10nStrings(root) {
  const found = new Set();
  const walk = (dir) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const src = readFileSync(p, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
        // t('…') / l10n.t('…') with a plain single-quoted literal (escaped quotes allowed)
        for (const m of src.matchAll(/\bt\(\s*'((?:[^'\\]|\\.)*)'/g)) found.add(m[1].replace(/\\'/g, "'").replace(/\\\\/g, '\\'));
      }
    }
  };
  walk(join(root, 'webview'));
  // the extension host's vscode.l10n.t(…) strings use the same bundle
  walk(join(root, 'src', 'host'));
  // The explanation topics hold their text in a table, translated through t(title) / t(body).
  const explain = readFileSync(join(root, 'webview', 'views', 'attention', 'explain.ts'), 'utf8');
  for (const m of explain.matchAll(/^\s+(?:\w+): \['((?:[^'\\]|\\.)*)',\n\s+'((?:[^'\\]|\\.)*)'\]/gm)) { found.add(m[1].replace(/\\'/g, "'")); found.add(m[2].replace(/\\'/g, "'")); }
  for (const m of readFileSync(join(root, 'webview', 'views', 'attention', 'maskView.ts'), 'utf8').matchAll(/\['\w+', '((?:[^'\\]|\\.)*)', '((?:[^'\\]|\\.)*)'\]/g)) { found.add(m[1]); found.add(m[2]); }
  for (const s of ['Tokens', 'Trace', 'Train BPE', 'Attention', 'mean', 'max']) found.add(s);
  return [...found].sort();
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(l10nStrings(process.cwd()), null, 1));
