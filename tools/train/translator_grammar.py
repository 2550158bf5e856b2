"""A small made-up English → French grammar with a bilingual lexicon, for the bundled
tiny-translator (tools/train/train_translator.py). Every French token carries the index of
the English word it translates, so cross attention can be checked against a known alignment.

Sentences are subject – verb – object:

    subject  = pronoun (I you he she we they) | noun phrase
    object   = pronoun (me you him her us them) | noun phrase
    NP       = determiner [adjective] noun      (singular or plural)

French follows its own rules where they differ:
  - the verb agrees with the subject (je vois, nous voyons, les chats voient);
  - determiners and adjectives agree with the noun in gender and number
    (le chat noir, la fille contente, les filles contentes; son chat = her cat);
  - small / big / young come before the noun, the other adjectives after it
    (the black cat → le chat noir, the small girl → la petite fille);
  - object pronouns come before the verb: I love you → je t'aime, she sees them → elle les voit;
  - je, me, te, le, la elide before a vowel or mute h: j'aime, l'oiseau, l'homme (but le petit oiseau).

Tokens. A word is one token; an elided word keeps its apostrophe (`t'`) and the word it
joins is a WordPiece continuation (`##aime`), so "Je t'aime" is [Je, t', ##aime] and the
tokenizer.json's WordPiece decoder writes it back as "Je t'aime". Worked example:

    sample → words  I      love   you   </s>
             target Je→0   t'→2   ##aime→1   (each French token → its English word's index)

The held-out split is by combination: a (subject head word, verb, object head word) triple
such as (cat, follow, apple) is either training, validation or test, so every held-out
sentence is a combination the model never saw in training.
"""
import random
import zlib

PAD, EOS, UNK = '<pad>', '</s>', '<unk>'
SPECIALS = [PAD, EOS, UNK]

# English subject pronoun → (French, person)
SUBJECT_PRONOUNS = {'I': ('je', '1s'), 'you': ('tu', '2s'), 'he': ('il', '3s'), 'she': ('elle', '3s'), 'we': ('nous', '1p'), 'they': ('ils', '3p')}
# English object pronoun → (French clitic, person)
OBJECT_PRONOUNS = {'me': ('me', '1s'), 'you': ('te', '2s'), 'him': ('le', '3s'), 'her': ('la', '3s'), 'us': ('nous', '1p'), 'them': ('les', '3p')}

# English singular, plural → French singular, plural, gender
NOUNS = {
    'cat': ('cats', 'chat', 'chats', 'm'), 'dog': ('dogs', 'chien', 'chiens', 'm'), 'boy': ('boys', 'garçon', 'garçons', 'm'),
    'man': ('men', 'homme', 'hommes', 'm'), 'child': ('children', 'enfant', 'enfants', 'm'), 'friend': ('friends', 'ami', 'amis', 'm'),
    'bird': ('birds', 'oiseau', 'oiseaux', 'm'), 'horse': ('horses', 'cheval', 'chevaux', 'm'), 'book': ('books', 'livre', 'livres', 'm'),
    'cake': ('cakes', 'gâteau', 'gâteaux', 'm'), 'girl': ('girls', 'fille', 'filles', 'f'), 'woman': ('women', 'femme', 'femmes', 'f'),
    'apple': ('apples', 'pomme', 'pommes', 'f'), 'car': ('cars', 'voiture', 'voitures', 'f'), 'house': ('houses', 'maison', 'maisons', 'f'),
    'flower': ('flowers', 'fleur', 'fleurs', 'f'),
}

# English → French masculine sg, feminine sg, masculine pl, feminine pl; `before` = placed before the noun
ADJECTIVES = {
    'small': (('petit', 'petite', 'petits', 'petites'), True), 'big': (('grand', 'grande', 'grands', 'grandes'), True),
    'young': (('jeune', 'jeune', 'jeunes', 'jeunes'), True), 'black': (('noir', 'noire', 'noirs', 'noires'), False),
    'white': (('blanc', 'blanche', 'blancs', 'blanches'), False), 'happy': (('content', 'contente', 'contents', 'contentes'), False),
    'tired': (('fatigué', 'fatiguée', 'fatigués', 'fatiguées'), False), 'red': (('rouge', 'rouge', 'rouges', 'rouges'), False),
}

# English determiner → French masculine sg, feminine sg, plural (None: that number does not exist for it)
DETERMINERS = {
    'the': ('le', 'la', 'les'), 'a': ('un', 'une', None), 'my': ('mon', 'ma', 'mes'), 'your': ('ton', 'ta', 'tes'),
    'his': ('son', 'sa', 'ses'), 'her': ('son', 'sa', 'ses'), 'our': ('notre', 'notre', 'nos'), 'their': ('leur', 'leur', 'leurs'),
    'two': (None, None, 'deux'), 'three': (None, None, 'trois'),
}

# English base, third-person singular → French je, tu, il/elle, nous, ils/elles
VERBS = {
    'love': ('loves', ('aime', 'aimes', 'aime', 'aimons', 'aiment')), 'see': ('sees', ('vois', 'vois', 'voit', 'voyons', 'voient')),
    'eat': ('eats', ('mange', 'manges', 'mange', 'mangeons', 'mangent')), 'want': ('wants', ('veux', 'veux', 'veut', 'voulons', 'veulent')),
    'take': ('takes', ('prends', 'prends', 'prend', 'prenons', 'prennent')), 'find': ('finds', ('trouve', 'trouves', 'trouve', 'trouvons', 'trouvent')),
    'watch': ('watches', ('regarde', 'regardes', 'regarde', 'regardons', 'regardent')), 'call': ('calls', ('appelle', 'appelles', 'appelle', 'appelons', 'appellent')),
    'hear': ('hears', ('entends', 'entends', 'entend', 'entendons', 'entendent')), 'help': ('helps', ('aide', 'aides', 'aide', 'aidons', 'aident')),
    'know': ('knows', ('connais', 'connais', 'connaît', 'connaissons', 'connaissent')), 'follow': ('follows', ('suis', 'suis', 'suit', 'suivons', 'suivent')),
}
PERSON_INDEX = {'1s': 0, '2s': 1, '3s': 2, '1p': 3, '3p': 4}
ELIDED = {'je': "j'", 'me': "m'", 'te': "t'", 'le': "l'", 'la': "l'"}


def starts_with_vowel(word):
    """Vowel or mute h (homme): je, me, te, le, la elide before it."""
    return word[0] in 'aeiouéâh'


def capitalize(word):
    return word[0].upper() + word[1:]


def noun_phrase(det, adj, noun, plural, first):
    """English words and French [word, index-into-those-words] pairs (before elision) of one NP;
    `first` is the index of its first English word in the sentence."""
    en_pl, fr_sg, fr_pl, gender = NOUNS[noun]
    forms = DETERMINERS[det]
    fr_det = forms[2] if plural else forms[0 if gender == 'm' else 1]
    words = [det] + ([adj] if adj else []) + [en_pl if plural else noun]
    noun_at = first + len(words) - 1
    french = [(fr_det, first)]
    fr_noun = (fr_pl if plural else fr_sg, noun_at)
    if adj:
        (m, f, mp, fp), before = ADJECTIVES[adj]
        fr_adj = ((mp if gender == 'm' else fp) if plural else (m if gender == 'm' else f), first + 1)
        french += [fr_adj, fr_noun] if before else [fr_noun, fr_adj]
    else:
        french.append(fr_noun)
    return words, french, ('3p' if plural else '3s')


def elide(french):
    """[(word, src)] → tokens [(token, src)]: je/me/te/le/la before a vowel become j'/m'/t'/l'
    and the next word a ## continuation (j'aime → j', ##aime)."""
    out, i = [], 0
    while i < len(french):
        word, src = french[i]
        if word in ELIDED and i + 1 < len(french) and starts_with_vowel(french[i + 1][0]):
            out += [(ELIDED[word], src), ('##' + french[i + 1][0], french[i + 1][1])]
            i += 2
        else:
            out.append((word, src))
            i += 1
    return out


def make_sentence(subject, verb, obj):
    """subject / obj: ('pron', word) or ('np', det, adj, noun, plural). Returns
    (English words, French tokens, source index of each French token)."""
    if subject[0] == 'pron':
        en, fr_subj_person = [subject[1]], SUBJECT_PRONOUNS[subject[1]]
        fr_subj, person = [(fr_subj_person[0], 0)], fr_subj_person[1]
    else:
        en, fr_subj, person = noun_phrase(*subject[1:], first=0)
    v = len(en)
    en.append(verb if person != '3s' else VERBS[verb][0])
    fr_verb = (VERBS[verb][1][PERSON_INDEX[person]], v)
    if obj[0] == 'pron':
        en.append(obj[1])
        french = fr_subj + [(OBJECT_PRONOUNS[obj[1]][0], v + 1), fr_verb]
    else:
        words, fr_obj, _ = noun_phrase(*obj[1:], first=v + 1)
        en += words
        french = fr_subj + [fr_verb] + fr_obj
    tokens = elide(french)
    en[0] = capitalize(en[0])
    tokens[0] = (capitalize(tokens[0][0]), tokens[0][1])
    return en, [t for t, _ in tokens], [s for _, s in tokens]


def head_word(part):
    return part[1] if part[0] == 'pron' else part[3]


def same_person(subject, obj):
    """I … me/us, we … me/us, you … you: reflexive in French, left out."""
    if subject[0] != 'pron' or obj[0] != 'pron':
        return False
    s, o = SUBJECT_PRONOUNS[subject[1]][1], OBJECT_PRONOUNS[obj[1]][1]
    return (s[0] == '1' and o[0] == '1') or (s == '2s' and o == '2s')


def split_of(triple):
    """'train' (88%), 'validation' (4%) or 'test' (8%) by a fixed hash of the (subject, verb, object) head words;
    the notes' example (I, love, you) is kept in training."""
    if triple == ('I', 'love', 'you'):
        return 'train'
    bucket = zlib.crc32('|'.join(triple).encode()) % 100
    return 'validation' if bucket < 4 else 'test' if bucket < 12 else 'train'


def sample_part(rng, pronouns):
    if rng.random() < 0.35:
        return ('pron', rng.choice(sorted(pronouns)))
    det = rng.choice(sorted(DETERMINERS))
    sg, _, pl = DETERMINERS[det]
    plural = pl is not None and (sg is None or rng.random() < 0.5)
    adj = rng.choice(sorted(ADJECTIVES)) if rng.random() < 0.5 else None
    return ('np', det, adj, rng.choice(sorted(NOUNS)), plural)


def sample(rng, split):
    """One sentence (English words, French tokens, alignment) of the given split."""
    while True:
        subject, obj = sample_part(rng, SUBJECT_PRONOUNS), sample_part(rng, OBJECT_PRONOUNS)
        verb = rng.choice(sorted(VERBS))
        if same_person(subject, obj) or split_of((head_word(subject), verb, head_word(obj))) != split:
            continue
        return make_sentence(subject, verb, obj)


def fixed_set(split, n, seed):
    """n distinct sentences of a split, the same on every run."""
    rng, seen, out = random.Random(seed), set(), []
    while len(out) < n:
        en, fr, align = sample(rng, split)
        if ' '.join(en) not in seen:
            seen.add(' '.join(en))
            out.append((en, fr, align))
    return out


def vocabulary():
    """Every token either side can use: specials, English words (as written, capitalized, and `i`),
    French words, their capitalized and elided forms, and the ## continuations elision makes."""
    en = set(SUBJECT_PRONOUNS) | set(OBJECT_PRONOUNS) | set(DETERMINERS) | set(ADJECTIVES)
    en |= set(NOUNS) | {v[0] for v in NOUNS.values()} | set(VERBS) | {v[0] for v in VERBS.values()}
    en |= {capitalize(w) for w in set(SUBJECT_PRONOUNS) | set(DETERMINERS)} | {'i'}
    fr = {p for p, _ in SUBJECT_PRONOUNS.values()} | {p for p, _ in OBJECT_PRONOUNS.values()}
    fr |= {f for forms in DETERMINERS.values() for f in forms if f} | {f for forms, _ in ADJECTIVES.values() for f in forms}
    fr |= {f for _, sg, pl, _ in NOUNS.values() for f in (sg, pl)} | {f for _, forms in VERBS.values() for f in forms}
    fr |= set(ELIDED.values())
    first = {p for p, _ in SUBJECT_PRONOUNS.values()} | {f for forms in DETERMINERS.values() for f in forms if f} | {"j'", "l'"}
    fr |= {capitalize(w) for w in first}
    cont = {'##' + w for w in fr if starts_with_vowel(w) and "'" not in w and w == w.lower()}
    return SPECIALS + sorted(en | fr) + sorted(cont)


def render(tokens):
    """French tokens → text: ## joins to the previous token. [Je, t', ##aime] → "Je t'aime"."""
    return ''.join(t[2:] if t.startswith('##') else (' ' + t if i else t) for i, t in enumerate(tokens))


if __name__ == '__main__':
    rng = random.Random(0)
    print(len(vocabulary()), 'tokens')
    print(make_sentence(('pron', 'I'), 'love', ('pron', 'you')))
    for _ in range(8):
        en, fr, al = sample(rng, 'train')
        print(' '.join(en), '→', render(fr), al)
