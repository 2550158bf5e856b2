#!/usr/bin/env python3
"""Writes media/models/tiny-translator/README.md (the model card) from the card.json and
config.json that tools/train/train_translator.py wrote.

    python3 tools/train/translator_card.py [FOLDER]
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import translator_grammar as grammar  # noqa: E402

FOLDER = sys.argv[1] if len(sys.argv) > 1 else 'media/models/tiny-translator'
BAR = 0.8  # src/engine/model/bundledModels.ts NAMED_HEAD_MIN_SCORE.alignment
ROWS = {
    'predicting': 'the row of the decoder position that *predicts* the French token (it reads the token before it, or the start token)',
    'reading': 'the row of the decoder position that *reads* the French token',
}


def table(scores):
    L, H = len(scores), len(scores[0])
    rows = ['| decoder layer | ' + ' | '.join(f'head {h}' for h in range(H)) + ' |', '|---' * (H + 1) + '|']
    rows += [f'| {l} | ' + ' | '.join(f'{scores[l][h]:.3f}' for h in range(H)) + ' |' for l in range(L)]
    return '\n'.join(rows)


def params(c):
    d, f, v, L = c['d_model'], c['encoder_ffn_dim'], c['vocab_size'], c['encoder_layers']
    enc = L * (4 * d * d + 4 * d + 2 * d * f + f + d + 4 * d)
    dec = c['decoder_layers'] * (8 * d * d + 8 * d + 2 * d * f + f + d + 6 * d)
    return v * d + v + enc + dec


def main():
    card = json.load(open(f'{FOLDER}/card.json'))
    c = json.load(open(f'{FOLDER}/config.json'))
    m, t, [a] = card['metrics'], card['training'], card['heads']
    named = a['score'] >= BAR
    size = os.path.getsize(f'{FOLDER}/model.safetensors')
    other = 'reading' if a['row'] == 'predicting' else 'predicting'
    lines = [
        '# tiny-translator', '',
        f'A Marian-shaped encoder–decoder (MarianMTModel: post-LN, sinusoidal positions, √d embedding scale, SiLU, '
        f'shared source/target embeddings tied to the output layer), {c["encoder_layers"]} encoder + {c["decoder_layers"]} decoder layers × '
        f'{c["encoder_attention_heads"]} heads, width {c["d_model"]}, feed-forward {c["encoder_ffn_dim"]}, {c["vocab_size"]} tokens, '
        f'about {params(c) / 1e6:.2f} M parameters, stored as F16 ({size / 1e6:.1f} MB). It translates a small made-up English grammar into French.', '',
        'It exists so that the notes\' central example — the encoder–decoder Transformer turning "I love you" into "Je t\'aime", '
        'with encoder self-attention, masked decoder self-attention and cross attention — runs offline on a real trained model, '
        'and so that its cross attention can be checked: every French token has a known English source word.', '',
        f'**"{m["notes_example"]["source"]}" → "{m["notes_example"]["translation"]}"** (greedy).', '',
        '## The grammar', '',
        '`tools/train/translator_grammar.py`: subject – verb – object sentences. Subjects are pronouns (I, you, he, she, we, they) or '
        'noun phrases; objects are pronouns (me, you, him, her, us, them) or noun phrases; a noun phrase is a determiner '
        '(the, a, my, your, his, her, our, their, two, three), an optional adjective and a noun, singular or plural. '
        f'{len(grammar.NOUNS)} nouns, {len(grammar.ADJECTIVES)} adjectives, {len(grammar.VERBS)} verbs. French does what French does: the verb agrees with the subject '
        '(je vois, nous voyons), determiners and adjectives agree with the noun (la fille contente, son chat = her cat), small/big/young '
        'come before the noun and the rest after it (the black cat → le chat noir), object pronouns come before the verb '
        '(she sees them → elle les voit), and je/me/te/le/la elide before a vowel (j\'aime, l\'oiseau, but le petit oiseau). '
        'Reflexive pronoun pairs (I … me) are left out. Sentences are capitalized; in training a quarter of the sources are lower-cased.', '',
        'The held-out split is by combination: each (subject head word, verb, object head word) triple — (cat, follow, apple) — '
        'belongs to training (88%), validation (4%) or test (8%) by a fixed hash, so a test sentence is a combination never seen in training. '
        '(I, love, you) is kept in training.', '',
        '## Vocabulary', '',
        f'`tokenizer.json`: WordPiece over whole words, split on whitespace, no normalizer; `<pad>` 0 (also the decoder start token), `</s>` 1, '
        f'`<unk>` 2; the post-processor appends `</s>` to the source, as MarianTokenizer does. One vocabulary serves both languages. '
        'An elided word keeps its apostrophe and the word after it is a `##` continuation, so "Je t\'aime" is `Je` `t\'` `##aime` '
        'and the WordPiece decoder writes it back as "Je t\'aime". The decoder reads `<pad>` + the French tokens and is trained to produce '
        'the French tokens + `</s>`.', '',
        '## Training', '',
        f'`{t["command"]}`: {t["steps"]:,} steps of {t["batch"]} fresh sentences from the training combinations, AdamW (β 0.9/0.98, '
        f'weight decay 0.01) peak learning rate {t["lr"]}, {t["warmup"]} warm-up steps then cosine decay to a tenth, dropout {t["dropout"]}, '
        f'gradient clipping at 1, seed {t["seed"]}, PyTorch {t["torch"]} / transformers {t["transformers"]} on {t["threads"]} CPU thread: '
        f'**{t["minutes"]} minutes** wall time on a 2-core machine shared with other work. The weights were rounded to F16 when saved; '
        'every number below is measured on the rounded weights (widened to float32).', '',
        '| step | ' + ' | '.join(str(s) for s in card['loss']['eval_step']) + ' |',
        '|---' * (len(card['loss']['eval_step']) + 1) + '|',
        '| validation exact match | ' + ' | '.join(f'{v:.2f}' for v in card['loss']['validation_exact_match']) + ' |', '',
        f'Training loss (mean of each 100 steps): {card["loss"]["train_loss"][0]:.3f} at step 100, {card["loss"]["train_loss"][-1]:.4f} at the end.', '',
        '## Held-out results', '',
        'Measured by `tools/train/evaluate_translator.py`; `test/engine/model/tinyTranslator.test.ts` recomputes both on the 20 committed '
        'test sentences (`test/fixtures/bundled/tiny-translator.heldout.json`) through our TypeScript engine.', '',
        f'- **exact match {100 * m["exact_match_test"]:.1f}%** on {m["test_sentences"]:,} test sentences (greedy decoding, every token right; '
        f'validation: {100 * m["exact_match_validation"]:.1f}% on {m["validation_sentences"]})',
        f'- **alignment {100 * a["score"]:.1f}%**: decoder layer {a["layer"]}, cross-attention head {a["head"]}, over the '
        f'{m["test_target_tokens"]:,} French tokens of the test sentences (validation {100 * a["validation_score"]:.1f}%)', '',
        'Alignment: the decoder reads the reference French (teacher forcing); for each French token we take the head\'s cross-attention row '
        f'— {ROWS[a["row"]]} — and count a hit when its largest weight over the source tokens (`</s>` included) is on the English word '
        'the lexicon aligns the token to (t\' → you, ##aime → love, noir → black). The grammar has no punctuation, so every French token counts. '
        'The head and which row to read (predicting or reading) were chosen on the validation split. A head that picked one of a '
        'sentence\'s 4–8 source tokens at random would score about 0.15.', '',
        (f'The panel and `trace attention` label layer {a["layer"]} head {a["head"]} of the cross attention **alignment head**, since it reaches the bar of {BAR}.'
         if named else f'No head reaches the bar of {BAR}, so the panel labels none.'), '',
        ('On the notes\' example the head is right for every French token: '
         if all(r['argmax'] == r['aligned'] for r in m['notes_example']['alignment_head_rows']) else
         'On the notes\' example the head is less tidy than on average — the clitic order of "Je t\'aime" (you before love) is where it '
         'slips; other heads carry part of it. Its argmax for each French token there: ')
        + ', '.join(f'{r["target"]} → {r["argmax"]} ({"right" if r["argmax"] == r["aligned"] else "aligned: " + r["aligned"]})' for r in m['notes_example']['alignment_head_rows']) + '.', '',
        f'Test-split alignment per cross-attention head, {a["row"]} row:', '', table(card['head_scores']['alignment'][a['row']]), '',
        f'and with the {other} row:', '', table(card['head_scores']['alignment'][other]), '',
    ]
    if card['wrong_examples']:
        lines += ['Some test sentences it gets wrong:', '']
        lines += [f'- {w["source"]} → {w["got"]} (expected: {w["expected"]})' for w in card['wrong_examples'][:6]]
        lines.append('')
    lines += [
        '## Reproduce', '', '```sh',
        'python3 -m venv /work/ref-venv && /work/ref-venv/bin/pip install torch transformers tokenizers safetensors',
        f'{t["command"]}   # media/models/tiny-translator/ + test fixtures',
        'python3 tools/train/translator_card.py', '```', '',
        'Training is not bit-for-bit reproducible across machines (thread scheduling, BLAS, and the wall-clock budget); '
        'the tests check the committed weights against the numbers recorded when they were made.', '',
    ]
    with open(f'{FOLDER}/README.md', 'w') as out:
        out.write('\n'.join(lines))


if __name__ == '__main__':
    main()
