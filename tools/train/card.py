#!/usr/bin/env python3
"""Writes media/models/NAME/README.md (the model card) from card.json, which
tools/train/train.py writes after training, and the corpus files in build/train/.

    /usr/bin/python3 tools/train/card.py tiny-gpt tiny-bert
"""
import json
import os
import sys

ABOUT = {
    'tiny-gpt': ('a GPT-2-architecture decoder (pre-LN, causal self-attention, tied LM head)', 'next-token prediction'),
    'tiny-bert': ('a BERT-architecture encoder (post-LN, bidirectional self-attention, MLM head)',
                  'masked-language modelling: 15% of the positions are predicted; of those 80% become [MASK], 10% a random token, 10% stay'),
}
NAMED_MIN_SCORE = {'previous': 0.5, 'first': 0.2, 'sep': 0.5}  # src/engine/model/bundledModels.ts NAMED_HEAD_MIN_SCORE
PATTERNS = {
    'previous': 'previous token: mean weight on position i−1',
    'first': 'first token / attention sink: mean weight on position 0',
    'sep': '[SEP] or punctuation: mean total weight on [SEP] and punctuation keys',
}


def pattern_name(pattern):
    """'previous' → 'previous token': PATTERNS' text before its measure."""
    return PATTERNS[pattern].split(':')[0]


def corpus_facts():
    facts = {}
    for split, path in (('train', 'build/train/train.txt'), ('held-out', 'tools/train/data/heldout.txt')):
        if os.path.exists(path):
            text = open(path, encoding='utf8').read().rstrip('\n')
            docs = text.split('\n%\n')
            facts[split] = (len(docs), sum(len(d) for d in docs))
    for split in ('train', 'heldout'):
        path = f'build/train/{split}.u16'
        if os.path.exists(path):
            facts[f'{split}_tokens'] = os.path.getsize(path) // 2
    return facts


def params(config):
    C, L = config.get('n_embd') or config['hidden_size'], config.get('n_layer') or config['num_hidden_layers']
    P = config.get('n_positions') or config['max_position_embeddings']
    return config['vocab_size'] * C + P * C + L * (12 * C * C + 13 * C)


def table(scores):
    L, H = len(scores), len(scores[0])
    rows = ['| layer | ' + ' | '.join(f'head {h}' for h in range(H)) + ' |', '|---' * (H + 1) + '|']
    rows += [f'| {l} | ' + ' | '.join(f'{scores[l][h]:.3f}' for h in range(H)) + ' |' for l in range(L)]
    return '\n'.join(rows)


def write(name):
    folder = f'media/models/{name}'
    card = json.load(open(f'{folder}/card.json'))
    config = json.load(open(f'{folder}/config.json'))
    t, m, f = card['training'], card['metrics'], corpus_facts()
    arch, objective = ABOUT[name]
    attn_dropout = f' ({t["attn_dropout"]} on the attention weights)' if t.get('attn_dropout', t.get('dropout')) != t.get('dropout') else ''
    decay_scope = {'embeddings': ' (not on the embeddings)', 'positions': ' (not on the position embeddings)'}.get(t.get('undecayed'), '')
    layers = config.get('n_layer') or config['num_hidden_layers']
    heads = config.get('n_head') or config['num_attention_heads']
    width = config.get('n_embd') or config['hidden_size']
    lines = [
        f'# {name}', '',
        f'{arch}, {layers} layers × {heads} heads, width {width}, {config["vocab_size"]:,} tokens, 256 positions, '
        f'about {params(config) / 1e6:.2f} M parameters, stored as {t.get("dtype", "F32")}. Trained for {objective}.', '',
        'It exists so that Transformer Tracer shows real, trained attention offline the moment it is installed. '
        'It is a teaching model: trained on a small corpus of quips and quotations, it writes plausible-looking '
        'nonsense and knows little about the world.', '',
        '## Corpus', '',
        "Debian's `fortunes` and `fortunes-min` packages (fortune-mod 1:1.99.1-7.3, BSD licence), cleaned by "
        '`tools/train/corpus.ts`: overstrikes and control characters removed, the `art`, `ascii-art` and '
        '`translate-me` files and mostly-non-letter fortunes dropped; every 20th fortune held out.', '',
    ]
    if 'train' in f:
        lines.append(f'- training: {f["train"][0]:,} fortunes, {f["train"][1]:,} characters' + (f', {f["train_tokens"]:,} tokens' if 'train_tokens' in f else ''))
    if 'held-out' in f:
        lines.append(f'- held out: {f["held-out"][0]:,} fortunes, {f["held-out"][1]:,} characters' + (f', {f["heldout_tokens"]:,} tokens' if 'heldout_tokens' in f else '') + ' (`tools/train/data/heldout.txt`)')
    lines += [
        '', '## Vocabulary', '',
        'Byte-level BPE (GPT-2 pre-tokenizer, no normalizer), 256 bytes + 5,744 merges = 6,000 tokens, trained on the '
        'training split by our own trainer (`src/engine/training/bpeVocabularyTrainer.ts`, the classic algorithm '
        'with first-met tie-breaks), saved as `tokenizer.json`. '
        + (('`<|endoftext|>` (6000) ends each document' + (', and the post-processor also puts it at the start of every text (as GPT-2\'s `bos_token`), '
            'as it started every training window: a fixed first token that heads can rest on.' if t.get('bos') else '.')) if name == 'tiny-gpt' else
           '[PAD] 6000, [CLS] 6001, [SEP] 6002, [MASK] 6003 (it swallows the space before it); the post-processor adds [CLS] … [SEP].'), '',
        '## Training', '',
        f'`{t["command"]}` (after `npm run train:data`), {t["steps"]:,} steps of {t["tokens_per_step"]:,} tokens '
        f'({t["tokens_per_step"] // t["short_window"]} × {t["short_window"]}-token windows, every {t["long_every"]}th step {t["tokens_per_step"] // 256} × 256), '
        f'{t["warmup"]} warm-up steps, '
        f'AdamW peak learning rate {t["lr"]}, weight decay {t.get("weight_decay", 0.01)}{decay_scope}, dropout {t.get("dropout", 0.1)}{attn_dropout}, seed {t["seed"]}, PyTorch {t["torch"]} on {t["threads"]} CPU thread(s): '
        f'**{t["minutes"]} minutes** on a 2-core machine (the other core was training another model). '
        + (f'The learned position embeddings start from the sinusoidal table of "Attention Is All You Need" '
           f'(scaled to a root-mean-square of {t["pos_rms"]}) rather than from noise: every position is told apart from the first step, '
           'so position-based heads such as a previous-token head can form within the CPU budget; they remain ordinary learned weights. '
           if t.get('pos_init') == 'sinusoidal' else '')
        + ('The MLM head runs at the masked positions only, the only ones the loss reads: the 6,004-way projection there was most of a step\'s work. '
           if name == 'tiny-bert' and t.get('pos_init') == 'sinusoidal' else '')
        + ('The weights were rounded to F16 when saved (`tools/train/export.py`; `tools/train/reexport.py` redoes it from a saved file); every number below is measured on the rounded weights.' if t.get('dtype') == 'F16' else ''), '',
        f'![loss curve](loss.png)', '',
        '## Held-out results', '',
        'Measured by `tools/train/evaluate.py` on the held-out fortunes in consecutive 256-token windows'
        + (' (`<|endoftext|>` and 255 tokens)' if t.get('bos') else '') + ', and '
        'recomputed by our TypeScript engine in `test/engine/model/bundledModels.test.ts`.', '',
    ]
    if name == 'tiny-gpt':
        lines.append(f'- **perplexity {m["heldout_perplexity"]:.2f}** (mean next-token loss {m["heldout_nll"]:.3f} nats, {m["windows"]} windows)')
    else:
        lines.append(f'- **masked-token top-1 accuracy {100 * m["heldout_masked_accuracy"]:.1f}%** on {m["masked_tokens"]:,} masked tokens '
                     f'(15% of positions chosen by a fixed hash, all replaced by [MASK]; loss {m["heldout_masked_nll"]:.3f} nats)')
    lines += ['', '## Heads with known patterns', '',
              'Scores are means over every query position i ≥ 1 of every held-out window. The best head for each pattern:', '']
    for h in card['heads']:
        lines.append(f'- **layer {h["layer"]}, head {h["head"]}**: {PATTERNS[h["pattern"]]} = **{h["score"]:.3f}**')
    named = [h for h in card['heads'] if h['score'] >= NAMED_MIN_SCORE[h['pattern']]]
    unnamed = [pattern_name(h['pattern']) for h in card['heads'] if h['score'] < NAMED_MIN_SCORE[h['pattern']]]
    bars = ', '.join(f'{pattern_name(p)} {NAMED_MIN_SCORE[p]}' for p in card['head_scores'])
    uniform = ('a head that spreads its weight evenly over 256 positions scores about '
               + ('0.024 on the previous- and first-token measures' if name == 'tiny-gpt' else
                  f'0.004 on the previous- and first-token measures and {m.get("separator_share", 0):.3f} on [SEP] or punctuation'))
    text = f'The panel labels a head when its score reaches its pattern\'s bar ({bars}; for comparison, {uniform}). '
    if named:
        text += 'Labelled: ' + ', '.join(f'layer {h["layer"]} head {h["head"]} ({h["pattern"]})' for h in named) + '.'
        if unnamed:
            text += f' No head reaches the bar for: {", ".join(unnamed)}.'
    else:
        text += 'No head reaches its bar, so the panel labels none.'
    lines += ['', text]
    for pattern, scores in card['head_scores'].items():
        lines += ['', f'{PATTERNS[pattern]}:', '', table(scores)]
    lines += ['', '## Reproduce', '', '```sh',
              'apt-get install fortunes fortunes-min python3-torch python3-matplotlib libopenblas0-pthread',
              'npm run train:data                      # corpus + vocabulary + token ids (build/train/)',
              f'{t["command"]}   # writes media/models/{name}/ and its test probes',
              f'/usr/bin/python3 tools/train/card.py {name}', '```', '',
              'Training is not bit-for-bit reproducible across machines (thread scheduling, BLAS); the tests check the '
              'committed weights against the numbers recorded when they were made.', '']
    with open(f'{folder}/README.md', 'w') as out:
        out.write('\n'.join(lines))


if __name__ == '__main__':
    for n in sys.argv[1:]:
        write(n)
