// Finds user-visible English literals in the webview and host code that do not go through
// t() / vscode.l10n.t() (run: node tools/l10n-literals.mjs). A literal counts as user-visible
// prose when it holds two English words or more and is not an import path, a property name,
// a class / id / data attribute, a comparison operand, a switch case, a console or thrown
// developer message, or an allow-listed proper name or symbol. The l10n test fails on any hit.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ts = createRequire(import.meta.url)('typescript');

/** Proper names, symbols and formats that read the same in every language. */
export const ALLOW = ['Transformer Tracer', 'top-k', 'top-p', 'W^O', 'q·k', 'softmax', 'exp', 'BPE', 'WordPiece', 'Unigram', 'logit'];
/** Literals that look like text but are not shown, or are names: an engine label matched in code, a CSV header kept English for tools, a Hub id as a placeholder. */
export const ALLOWED_LITERALS = new Set(['gpt2', 'alignment (cross attention)', 'query \\ key', '×', '#',
  'PE(pos, 2i) = sin(pos / 10000^(2i/d)),  PE(pos, 2i+1) = cos(pos / 10000^(2i/d))']);
/** Example inputs for English models: text the model reads, not text the panel says. */
export const EXAMPLE_INPUTS = new Set(['We sat on the river bank.', 'She opened a bank account.', 'Time flies like an arrow.', 'Fruit flies like a banana.', 'The quick brown fox jumps over the lazy dog']);
/** Attributes and properties whose values are identifiers, never shown as text. */
const CODE_KEYS = new Set(['class', 'id', 'type', 'role', 'value', 'for', 'name', 'appearance', 'position', 'inputmode', 'lang', 'rel', 'href', 'src', 'style', 'tab', 'mode', 'format', 'kind', 'stage', 'key', 'scope']);
const CODE_CALLS = new Set(['t', 'querySelector', 'querySelectorAll', 'getElementById', 'addEventListener', 'removeEventListener', 'setAttribute', 'getAttribute', 'removeAttribute', 'createElement', 'warn', 'log', 'error', 'debug', 'info', 'postMessage', 'startsWith', 'endsWith', 'includes', 'split', 'replace', 'join', 'mark', 'measure', 'get', 'has', 'executeCommand', 'registerCommand', 'getConfiguration', 'update', 'fetch', 'asExternalUri', 'joinPath', 'toggle', 'add', 'remove', 'contains', 'matches', 'closest', 'require', 'appendLine', 'trace']);
/** CSS, HTML and CSP text, command ids and configuration keys are code. */
const CODE_TEXT = /var\(--|\d+px |^<|-src |^\$\(|^[\w.]+$/;
// proper names, Markdown bold, codicons ($(folder)), file names and Hub repository ids carry no words to translate
const strip = (s) => ALLOW.reduce((x, a) => x.split(a).join(''), s.replace(/\*\*|\$\([\w-]+\)|\b[\w-]+\.(json|safetensors|spm)\b|^[\w.-]+\/[\w.-]+$/g, ''));
const prose = (s) => /[A-Za-z]{2,}[,:;.!?…]?\s+\(?[A-Za-z]{2,}/.test(strip(s)) && !CODE_TEXT.test(s) && !EXAMPLE_INPUTS.has(s) && !ALLOWED_LITERALS.has(s);
/** Calls whose arguments in these places are text on screen (el: its children, from 2 on): a single word there is shown too. */
const TEXT_ARGS = new Map([['el', (i) => i >= 2], ['button', (i) => i === 0], ['numberField', (i) => i === 1], ['dropdown', (i) => i === 1], ['table', (i) => i === 0], ['smallTable', (i) => i === 1]]);
/** Properties and fields whose value is text on screen (messages, quick picks, status bar items, DOM text). */
const TEXT_KEYS = new Set(['what', 'message', 'title', 'tooltip', 'description', 'placeHolder', 'placeholder', 'label', 'detail', 'text', 'textContent', 'name', 'aria-label']);
function visiblePosition(node) {
  let n = node, p = node.parent;
  while (p && (ts.isConditionalExpression(p) || ts.isParenthesizedExpression(p))) { n = p; p = p.parent; }
  if (p && ts.isPropertyAssignment(p) && p.initializer === n) return TEXT_KEYS.has(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : '');
  if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n && ts.isPropertyAccessExpression(p.left)) return TEXT_KEYS.has(p.left.name.text);
  if (p && ts.isArrayLiteralExpression(p)) { n = p; p = p.parent; }
  if (p && ts.isPropertyAccessExpression(p) && p.name.text === 'map' && ts.isArrayLiteralExpression(n) && ts.isCallExpression(p.parent) && /\bel\(/.test(p.parent.arguments[0]?.getText() ?? '')) return true; // ['round', 'pair'].map((h) => el('th', …))
  if (!p || !ts.isCallExpression(p)) return false;
  const at = TEXT_ARGS.get(calleeName(p));
  return at !== undefined && at(p.arguments.indexOf(n)) && (calleeName(p) !== 'el' || !ts.isArrayLiteralExpression(n));
}
const word = (s) => /[a-z]{3,}/.test(strip(s)) && !/var\(--|\d+px |^<|^[a-z]+(-[a-z0-9]+)+$/.test(s) && !ALLOWED_LITERALS.has(s);

function calleeName(call) {
  const e = call.expression;
  return ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
}

function codeContext(node) {
  let n = node, p = node.parent;
  // a literal inside a template or a conditional / binary chain: judge the outermost expression
  while (p && (ts.isTemplateSpan(p) || ts.isTemplateExpression(p) || ts.isConditionalExpression(p) || ts.isParenthesizedExpression(p) || (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.PlusToken))) { n = p; p = p.parent; }
  if (!p) return false;
  if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isExternalModuleReference(p) || ts.isLiteralTypeNode(p) || ts.isImportTypeNode?.(p)) return true;
  if (ts.isCallExpression(p) || ts.isNewExpression(p)) {
    const name = p.expression && (ts.isIdentifier(p.expression) ? p.expression.text : ts.isPropertyAccessExpression(p.expression) ? p.expression.name.text : '');
    if (CODE_CALLS.has(name)) return true;
    if (ts.isNewExpression(p) && /Error$/.test(name) && !/ModelError|TokenizerError/.test(name)) return true; // developer errors
    if (name === 'el' && p.arguments[0] === n) return true; // the tag name
  }
  if (ts.isThrowStatement(p)) return true;
  // an English fallback the caller replaces with a translation (`const englishTimeout = …`)
  for (let q = p; q; q = q.parent) if (ts.isVariableDeclaration(q) && ts.isIdentifier(q.name) && q.name.text.startsWith('english')) return true;
  if (ts.isPropertyAssignment(p)) {
    if (p.name === n) return true;
    const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : '';
    if (CODE_KEYS.has(key) || key.startsWith('data-')) return true;
  }
  if (ts.isElementAccessExpression(p) || ts.isCaseClause(p)) return true;
  if (ts.isBinaryExpression(p) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.InKeyword].includes(p.operatorToken.kind)) return true;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(p.left) && ['className', 'id', 'value'].includes(p.left.name.text)) return true;
  return false;
}

/** `[file:line, text]` for every literal that looks like untranslated prose. */
export function untranslatedLiterals(root, dirs = ['webview', join('src', 'host')]) {
  // strings that reach t() some other way (tables of topics, masks, tab titles) are translated
  const keys = new Set(Object.keys(JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8'))));
  const hits = [];
  const walk = (dir) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      if (!p.endsWith('.ts') || p.endsWith('.d.ts')) continue;
      const src = ts.createSourceFile(p, readFileSync(p, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node) => {
        const text = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text
          : ts.isTemplateExpression(node) ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('{}') : undefined;
        if (text !== undefined && ((prose(text) && !keys.has(text)) || (visiblePosition(node) && word(text))) && !codeContext(node)) {
          hits.push([`${relative(root, p)}:${src.getLineAndCharacterOfPosition(node.getStart()).line + 1}`, text]);
        }
        if (!ts.isTemplateExpression(node)) ts.forEachChild(node, visit); else node.templateSpans.forEach((s) => visit(s.expression));
      };
      visit(src);
    }
  };
  for (const d of dirs) walk(join(root, d));
  return hits;
}

if (import.meta.url === `file://${process.argv[1]}`) for (const [at, text] of untranslatedLiterals(process.cwd())) console.log(`${at}  ${JSON.stringify(text).slice(0, 110)}`);
