// Finds the engine's translatable texts (run: node tools/l10n-engine-texts.mjs): every
// phrase`…`, modelError`…` and l10nError`…` tagged template in src/engine and src/shared, with the
// translation key it makes at run time (the cooked text, `{n}` for the n-th interpolation,
// as src/shared/l10nText.ts builds it) and the source of each argument; and every place an
// engine error is built from a plain string (ModelError and the errors it wraps take an
// L10nText, so this catches `new ModelError(verbatim(…))` and casts). The engine-error l10n
// test fails on a template with no zh-CN entry and on a plain string outside the list it allows.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ts = createRequire(import.meta.url)('typescript');
const TAGS = new Set(['phrase', 'modelError', 'l10nError']);

function* tsFiles(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* tsFiles(p);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) yield p;
  }
}

function parse(root, dirs, visit, everyFile = false) {
  for (const dir of dirs) {
    for (const file of tsFiles(join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      if (!everyFile && !/phrase`|modelError`|l10nError`|verbatim\(/.test(text)) continue;
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const at = (n) => `${relative(root, file)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
      const walk = (n) => { visit(n, at, sf); ts.forEachChild(n, walk); };
      walk(sf);
    }
  }
}

/** [where, template, argument sources] for each tagged template. */
export function engineTexts(root, dirs = ['src/engine', 'src/shared']) {
  const out = [];
  parse(root, dirs, (n, at, sf) => {
    if (!ts.isTaggedTemplateExpression(n) || !ts.isIdentifier(n.tag) || !TAGS.has(n.tag.text)) return;
    const tpl = n.template;
    if (ts.isNoSubstitutionTemplateLiteral(tpl)) { out.push([at(n), tpl.text, []]); return; }
    let template = tpl.head.text;
    tpl.templateSpans.forEach((s, i) => { template += `{${i}}${s.literal.text}`; });
    out.push([at(n), template, tpl.templateSpans.map((s) => s.expression.getText(sf))]);
  });
  return out;
}

/** Where `verbatim(…)` wraps a string made elsewhere: shown untranslated. */
export function verbatimUses(root, dirs = ['src/engine', 'src/shared']) {
  const out = [];
  parse(root, dirs, (n, at) => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'verbatim') out.push(at(n));
  });
  return out;
}

/**
 * [where, source] for each engine error built from a plain string: `new X(…)` of ModelError,
 * L10nError or a class that extends one (found in the same files), given a string literal,
 * a template literal, a concatenation, a cast or another error's `.message`.
 */
export function plainStringErrors(root, dirs = ['src/engine', 'src/shared']) {
  const classes = new Set(['ModelError', 'L10nError']);
  for (let grew = true; grew;) {
    grew = false;
    parse(root, dirs, (n) => {
      if (!ts.isClassDeclaration(n) || !n.name || classes.has(n.name.text)) return;
      const base = n.heritageClauses?.flatMap((h) => h.types.map((x) => x.expression.getText()));
      if (base?.some((b) => classes.has(b))) { classes.add(n.name.text); grew = true; }
    }, true);
  }
  const out = [];
  parse(root, dirs, (n, at, sf) => {
    if (!ts.isNewExpression(n) || !ts.isIdentifier(n.expression) || !classes.has(n.expression.text)) return;
    const a = n.arguments?.[0];
    const plain = a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a) || ts.isTemplateExpression(a) || ts.isBinaryExpression(a)
      || ts.isAsExpression(a) || (ts.isPropertyAccessExpression(a) && a.name.text === 'message'));
    if (plain) out.push([at(n), n.getText(sf).slice(0, 120)]);
  }, true);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [at, template, args] of engineTexts(process.cwd())) console.log(`${at}\t${template}\t${args.join(' | ')}`);
}
