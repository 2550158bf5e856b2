// The extension in a real VS Code: activation, Tokenize Selection, hover, status bar.
// Reference ids: tiktoken r50k_base (../shared/fixtures/hf/tokenizers/golden.json, case 1).
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'transformer-tracer.transformer-tracer';
const FOX_IDS = [464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13];

async function openSample() {
  const file = path.resolve(__dirname, '..', 'workspace', 'sample.txt');
  const doc = await vscode.workspace.openTextDocument(file);
  return vscode.window.showTextDocument(doc);
}

describe('Transformer Tracer in VS Code', () => {
  let api;

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension is installed');
    api = await ext.activate();
    await vscode.workspace.getConfiguration('transformerTracer').update('tokenizer', 'gpt2', vscode.ConfigurationTarget.Global);
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['transformerTracer.tokenizeSelection', 'transformerTracer.pickTokenizer', 'transformerTracer.toggleTokenBoundaries']) assert.ok(commands.includes(c), c);
  });

  it('Tokenize Selection opens the panel, and the engine gives the reference ids', async () => {
    const editor = await openSample();
    editor.selection = new vscode.Selection(0, 0, 0, 44);
    await vscode.commands.executeCommand('transformerTracer.tokenizeSelection');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    assert.ok(tabs.some((t) => t.label === 'Transformer Tracer'), 'panel tab is open');
    const result = await api.engine.request({ kind: 'tokenize', tokenizer: 'gpt2', text: editor.document.getText(editor.selection), source: 'sample', special: 'default', limit: 1000 });
    assert.deepEqual(result.tokens.map((t) => t.id), FOX_IDS);
  });

  it('hover shows the id of the token under the cursor', async () => {
    const editor = await openSample();
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, 6));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /id \*\*2068\*\*/, text);
  });

  it('hover can be turned off', async () => {
    const editor = await openSample();
    await vscode.workspace.getConfiguration('transformerTracer').update('hover.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, 6));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.doesNotMatch(text, /Transformer Tracer/);
    } finally {
      await vscode.workspace.getConfiguration('transformerTracer').update('hover.enabled', true, vscode.ConfigurationTarget.Global);
    }
  });

  it('status bar counts the selection (engine count equals the reference)', async () => {
    const editor = await openSample();
    editor.selection = new vscode.Selection(0, 0, 0, 44);
    const count = await api.engine.request({ kind: 'count', tokenizer: 'gpt2', text: editor.document.getText(editor.selection), special: 'default' });
    assert.equal(count, FOX_IDS.length);
  });
});
