/**
 * The Questions tab (webview/views/questionLinks.ts): each of the fourteen questions of
 * issue 24 links, for every kind of model, to a tab path that exists — each index read
 * against the tab titles in the panel's sources (webview/main.ts, the inspector, the
 * residual stream view) — to an element id some view draws and to an explanation topic some
 * view renders; answers a kind of model cannot give name a bundled model to load; every
 * question and link text has a Chinese translation.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_MODELS } from '../../src/engine/model/bundledModels';
import { modelKind, QUESTIONS, questionLinks, type ModelKind } from '../../webview/views/questionLinks';

const root = join(__dirname, '..', '..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');
const sources = (dir: string): string[] => readdirSync(join(root, dir)).flatMap((f) => {
  const p = join(dir, f);
  return statSync(join(root, p)).isDirectory() ? sources(p) : p.endsWith('.ts') ? [read(p)] : [];
});
const webview = sources('webview').filter((s) => !s.includes('export const QUESTIONS'));
const KINDS: (ModelKind | undefined)[] = ['causal', 'encoder', 'seq2seq', undefined];

/** The titles of a tabs(id, [...]) call, in order: ['Title', pane] or [t('Title'), pane]. */
function tabTitles(file: string, id: string): string[] {
  const src = read(file);
  const start = src.indexOf(`tabs('${id}', [`);
  assert.ok(start >= 0, `${file} builds tabs('${id}')`);
  const end = src.indexOf('], (', start);
  return [...src.slice(start, end).matchAll(/\[(?:t\()?'((?:[^'\\]|\\.)*)'\)?, \w+(?:\.node)?\]/g)].map((m) => m[1].replace(/\\'/g, "'"));
}
const TABS = {
  views: tabTitles('webview/main.ts', 'views'),
  inspector: tabTitles('webview/views/attention/inspector.ts', 'inspector'),
  residual: tabTitles('webview/views/residual/residualView.ts', 'residual'),
};

/** Explanation topics the views render: explain.ts's table, the Generate and Residual blocks, literal data-topic attributes. */
const explainSrc = read('webview/views/attention/explain.ts');
const TOPICS = new Set([
  ...[...explainSrc.slice(explainSrc.indexOf('const TOPICS')).matchAll(/^ {2}(\w+): \['/gm)].map((m) => m[1]),
  ...[...read('webview/views/generate/generateExplain.ts').matchAll(/^ {2}'([\w-]+)': \(\) =>/gm)].map((m) => m[1]),
  ...[...read('webview/views/residual/residualExplain.ts').matchAll(/block\('([\w-]+)'/g)].map((m) => m[1]),
  ...webview.flatMap((s) => [...s.matchAll(/'data-topic': '([\w-]+)'/g)].map((m) => m[1])),
]);

describe('panel: the Questions index', () => {
  it('reads the tab titles it checks against', () => {
    assert.deepEqual(TABS.views.slice(0, 4), ['Tokens', 'Trace', 'Train BPE', 'Attention']);
    assert.equal(TABS.views.at(-1), 'Questions');
    assert.deepEqual(TABS.inspector.slice(0, 3), ['Heads', 'Model', 'Step trace']);
    assert.ok(TOPICS.has('scale') && TOPICS.has('generate-kvcache') && TOPICS.has('embedding') && TOPICS.has('seq2seq-masks'));
  });

  it('has the fourteen questions of the notes', () => {
    assert.equal(QUESTIONS.length, 14);
    assert.match(QUESTIONS[3], /√d_k/);
    assert.match(QUESTIONS[9], /E5 A5 BD/);
  });

  for (const kind of KINDS) {
    it(`every question links to a tab path, an element and a topic that exist (${kind ?? 'model not run yet'})`, () => {
      for (let n = 1; n <= 14; n++) {
        const links = questionLinks(n, kind);
        assert.ok(links.length > 0, `question ${n} has a link`);
        for (const link of links) {
          const at = `question ${n} → ${link.anchor}`;
          assert.equal(link.path[0].panels, 'views', `${at}: starts at the panel's tabs`);
          for (const step of link.path) assert.equal(TABS[step.panels][step.tab], step.tabTitle, `${at}: ${step.panels} tab ${step.tab} is “${step.tabTitle}”`);
          assert.ok(webview.some((s) => s.includes(`id: '${link.anchor}'`) || (s.includes('stepBlock(') && s.includes(`, '${link.anchor}');`))), `${at}: some view draws id ${link.anchor}`);
          if (link.topic) assert.ok(TOPICS.has(link.topic), `${at}: topic ${link.topic} is rendered`);
          if (link.load) assert.ok((BUNDLED_MODELS as readonly string[]).includes(link.load), `${at}: ${link.load} is bundled`);
        }
      }
    });
  }

  it('the encoder–decoder tab is only there for an encoder–decoder: other models are told to load tiny-translator', () => {
    const inspector = read('webview/views/attention/inspector.ts');
    assert.match(inspector, /\.\.\.\(a\.seq2seq \? \[\[t\('Encoder–decoder'\)/);
    for (const kind of KINDS) {
      for (const n of [7, 13]) {
        const loads = questionLinks(n, kind).map((l) => l.load);
        if (kind === 'seq2seq') assert.ok(loads.every((l) => l === undefined), `question ${n} answered by the loaded encoder–decoder`);
        else assert.ok(loads.includes('tiny-translator'), `question ${n} for ${kind}: load tiny-translator`);
      }
    }
  });

  it('answers that need a causal or a masked language model say which to load', () => {
    const load = (n: number, kind: ModelKind, anchor: string) => questionLinks(n, kind).filter((l) => l.anchor === anchor).map((l) => l.load);
    assert.deepEqual(load(14, 'encoder', 'loss-view'), ['tiny-gpt']);
    assert.deepEqual(load(14, 'causal', 'loss-view'), [undefined]);
    assert.ok(questionLinks(11, 'causal').some((l) => l.topic === 'mlm' && l.load === 'tiny-bert'));
    assert.ok(questionLinks(11, 'encoder').some((l) => l.topic === 'mlm' && l.load === undefined && l.anchor === 'mask-demo'));
    assert.ok(questionLinks(11, 'encoder').some((l) => l.topic === 'sampling' && l.load === 'tiny-gpt'));
  });

  it('the model kind comes from the last run, else from the bundled name', () => {
    assert.equal(modelKind({ model: 'x', attention: { model: 'x', causal: false, seq2seq: {} } }), 'seq2seq');
    assert.equal(modelKind({ model: 'x', attention: { model: 'x', causal: true } }), 'causal');
    assert.equal(modelKind({ model: 'x', attention: { model: 'x', causal: false } }), 'encoder');
    assert.equal(modelKind({ model: 'tiny-translator' }), 'seq2seq');
    assert.equal(modelKind({ model: 'tiny-bert' }), 'encoder');
    assert.equal(modelKind({ model: '/some/folder' }), undefined);
  });

  it('every question, link text and tab title has a Chinese translation', () => {
    const zh = JSON.parse(read('l10n/bundle.l10n.zh-cn.json')) as Record<string, string>;
    const texts = new Set<string>(QUESTIONS);
    for (let n = 1; n <= 14; n++) for (const kind of KINDS) for (const l of questionLinks(n, kind)) { texts.add(l.answer); for (const p of l.path) texts.add(p.tabTitle); }
    for (const s of texts) assert.ok(/[\u4e00-\u9fff]/.test(zh[s] ?? ''), `“${s.slice(0, 50)}” is translated`);
  });
});
