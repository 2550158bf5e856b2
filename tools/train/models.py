"""The two bundled architectures in plain PyTorch, with Hugging Face's tensor names.

TinyGPT is GPT-2 (Radford et al. 2019; HF `GPT2LMHeadModel`): pre-LN blocks, causal
attention, tanh-approximated GELU ("gelu_new"), LM head tied to the token embedding.
TinyBert is BERT (Devlin et al. 2019; HF `BertForMaskedLM`): post-LN blocks, token-type
embeddings, erf GELU, the MLM head (dense + GELU + LayerNorm, decoder tied to the token
embedding, its own bias).

`hf_state_dict()` returns the tensors under the names `transformers` uses, so the saved
file loads in `from_pretrained` and in our engine alike. GPT-2's Conv1D stores weights as
[in, out], hence the transposes. Legend: B batch, T tokens, C channels, NH heads.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, C, NH, dropout):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(C, C) for _ in range(4))
        self.NH, self.dropout = NH, dropout

    def forward(self, x, mask, return_weights=False):
        B, T, C = x.shape
        split = lambda t: t.view(B, T, self.NH, C // self.NH).transpose(1, 2)  # (B, NH, T, HS)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-2, -1) / math.sqrt(C // self.NH) + mask  # (B, NH, T, T)
        weights = scores.softmax(-1)
        out = F.dropout(weights, self.dropout, self.training) @ v
        out = self.o(out.transpose(1, 2).reshape(B, T, C))
        return (out, weights) if return_weights else (out, None)


class Block(nn.Module):
    def __init__(self, C, NH, pre_ln, eps, gelu, dropout, attn_dropout):
        super().__init__()
        self.attn = SelfAttention(C, NH, attn_dropout)
        self.ln1, self.ln2 = nn.LayerNorm(C, eps=eps), nn.LayerNorm(C, eps=eps)
        self.fc, self.proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)
        self.pre_ln, self.gelu, self.dropout = pre_ln, gelu, dropout

    def ffn(self, x):
        return F.dropout(self.proj(F.gelu(self.fc(x), approximate=self.gelu)), self.dropout, self.training)

    def forward(self, x, mask, return_weights=False):
        if self.pre_ln:
            a, w = self.attn(self.ln1(x), mask, return_weights)
            x = x + F.dropout(a, self.dropout, self.training)
            return x + self.ffn(self.ln2(x)), w
        a, w = self.attn(x, mask, return_weights)
        x = self.ln1(x + F.dropout(a, self.dropout, self.training))
        return self.ln2(x + self.ffn(x)), w


class TinyModel(nn.Module):
    """kind 'gpt' or 'bert'; V vocabulary, P positions, L layers, NH heads, C width."""

    def __init__(self, kind, V, P, L, NH, C, dropout=0.1, attn_dropout=None):
        """`attn_dropout` (on the attention weights; GPT-2's attn_pdrop) defaults to `dropout`."""
        super().__init__()
        self.kind, self.V, self.P, self.L, self.NH, self.C = kind, V, P, L, NH, C
        gpt = kind == 'gpt'
        self.eps = 1e-5 if gpt else 1e-12
        self.tok, self.pos = nn.Embedding(V, C), nn.Embedding(P, C)
        self.types = None if gpt else nn.Embedding(2, C)
        self.ln_emb = None if gpt else nn.LayerNorm(C, eps=self.eps)
        gelu = 'tanh' if gpt else 'none'
        self.blocks = nn.ModuleList(Block(C, NH, gpt, self.eps, gelu, dropout, dropout if attn_dropout is None else attn_dropout) for _ in range(L))
        self.ln_f = nn.LayerNorm(C, eps=self.eps) if gpt else None
        if not gpt:
            self.mlm_dense, self.mlm_ln = nn.Linear(C, C), nn.LayerNorm(C, eps=self.eps)
            self.mlm_bias = nn.Parameter(torch.zeros(V))
        self.dropout = dropout
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)

    def forward(self, ids, return_weights=False, predict_at=None):
        """ids (B, T) → logits (B, T, V) and, if asked, attention weights per layer (B, NH, T, T).
        `predict_at` (B, T) bool: logits only at those positions, (N, V); the MLM loss needs no more."""
        B, T = ids.shape
        x = self.tok(ids) + self.pos(torch.arange(T, device=ids.device))
        if self.kind == 'gpt':
            mask = torch.full((T, T), float('-inf'), device=ids.device).triu(1)
        else:
            x = self.ln_emb(x + self.types(torch.zeros_like(ids)))
            mask = torch.zeros((T, T), device=ids.device)
        x = F.dropout(x, self.dropout, self.training)
        all_weights = []
        for block in self.blocks:
            x, w = block(x, mask, return_weights)
            all_weights.append(w)
        if predict_at is not None:
            x = x[predict_at]
        if self.kind == 'gpt':
            logits = self.ln_f(x) @ self.tok.weight.T
        else:
            h = self.mlm_ln(F.gelu(self.mlm_dense(x)))
            logits = h @ self.tok.weight.T + self.mlm_bias
        return logits, all_weights

    def hf_state_dict(self):
        """Tensors under Hugging Face names (tied decoders are left out, as HF saves them)."""
        out = {}
        put = lambda name, t: out.__setitem__(name, t.detach().float().contiguous().clone())
        if self.kind == 'gpt':
            put('wte.weight', self.tok.weight)
            put('wpe.weight', self.pos.weight)
            for i, b in enumerate(self.blocks):
                p = f'h.{i}.'
                put(p + 'ln_1.weight', b.ln1.weight); put(p + 'ln_1.bias', b.ln1.bias)
                put(p + 'attn.c_attn.weight', torch.cat([b.attn.q.weight, b.attn.k.weight, b.attn.v.weight]).T)
                put(p + 'attn.c_attn.bias', torch.cat([b.attn.q.bias, b.attn.k.bias, b.attn.v.bias]))
                put(p + 'attn.c_proj.weight', b.attn.o.weight.T); put(p + 'attn.c_proj.bias', b.attn.o.bias)
                put(p + 'ln_2.weight', b.ln2.weight); put(p + 'ln_2.bias', b.ln2.bias)
                put(p + 'mlp.c_fc.weight', b.fc.weight.T); put(p + 'mlp.c_fc.bias', b.fc.bias)
                put(p + 'mlp.c_proj.weight', b.proj.weight.T); put(p + 'mlp.c_proj.bias', b.proj.bias)
            put('ln_f.weight', self.ln_f.weight); put('ln_f.bias', self.ln_f.bias)
            return out
        e = 'bert.embeddings.'
        put(e + 'word_embeddings.weight', self.tok.weight)
        put(e + 'position_embeddings.weight', self.pos.weight)
        put(e + 'token_type_embeddings.weight', self.types.weight)
        put(e + 'LayerNorm.weight', self.ln_emb.weight); put(e + 'LayerNorm.bias', self.ln_emb.bias)
        for i, b in enumerate(self.blocks):
            p = f'bert.encoder.layer.{i}.'
            for name, lin in (('attention.self.query', b.attn.q), ('attention.self.key', b.attn.k), ('attention.self.value', b.attn.v),
                              ('attention.output.dense', b.attn.o), ('intermediate.dense', b.fc), ('output.dense', b.proj)):
                put(p + name + '.weight', lin.weight); put(p + name + '.bias', lin.bias)
            put(p + 'attention.output.LayerNorm.weight', b.ln1.weight); put(p + 'attention.output.LayerNorm.bias', b.ln1.bias)
            put(p + 'output.LayerNorm.weight', b.ln2.weight); put(p + 'output.LayerNorm.bias', b.ln2.bias)
        m = 'cls.predictions.'
        put(m + 'transform.dense.weight', self.mlm_dense.weight); put(m + 'transform.dense.bias', self.mlm_dense.bias)
        put(m + 'transform.LayerNorm.weight', self.mlm_ln.weight); put(m + 'transform.LayerNorm.bias', self.mlm_ln.bias)
        put(m + 'bias', self.mlm_bias)
        return out

    @torch.no_grad()
    def load_hf_state_dict(self, tensors):
        """The inverse of hf_state_dict(): copy Hugging Face-named tensors into this model."""
        ours = self.hf_state_dict()
        if set(ours) != set(tensors):
            raise ValueError(f'tensor names differ: missing {sorted(set(ours) - set(tensors))}, unexpected {sorted(set(tensors) - set(ours))}')
        C = self.C
        for name, t in tensors.items():
            t = t.float()
            if self.kind == 'gpt' and name.startswith('h.'):
                i, rest = int(name.split('.')[1]), name.split('.', 2)[2]
                b = self.blocks[i]
                if rest == 'attn.c_attn.weight':
                    for j, lin in enumerate((b.attn.q, b.attn.k, b.attn.v)):
                        lin.weight.copy_(t.T[j * C:(j + 1) * C])
                    continue
                if rest == 'attn.c_attn.bias':
                    for j, lin in enumerate((b.attn.q, b.attn.k, b.attn.v)):
                        lin.bias.copy_(t[j * C:(j + 1) * C])
                    continue
                if rest.endswith('.weight') and rest.split('.')[0] in ('attn', 'mlp'):
                    t = t.T
            self._param_for(name).copy_(t)

    def _param_for(self, name):
        """The parameter that hf_state_dict() exports under `name` (matched by identity of the export)."""
        if not hasattr(self, '_names'):
            table = {}
            gpt = self.kind == 'gpt'
            simple = {'wte.weight': self.tok.weight, 'wpe.weight': self.pos.weight} if gpt else {
                'bert.embeddings.word_embeddings.weight': self.tok.weight, 'bert.embeddings.position_embeddings.weight': self.pos.weight,
                'bert.embeddings.token_type_embeddings.weight': self.types.weight, 'bert.embeddings.LayerNorm.weight': self.ln_emb.weight,
                'bert.embeddings.LayerNorm.bias': self.ln_emb.bias, 'cls.predictions.transform.dense.weight': self.mlm_dense.weight,
                'cls.predictions.transform.dense.bias': self.mlm_dense.bias, 'cls.predictions.transform.LayerNorm.weight': self.mlm_ln.weight,
                'cls.predictions.transform.LayerNorm.bias': self.mlm_ln.bias, 'cls.predictions.bias': self.mlm_bias}
            table.update(simple)
            if gpt:
                table.update({'ln_f.weight': self.ln_f.weight, 'ln_f.bias': self.ln_f.bias})
            for i, b in enumerate(self.blocks):
                if gpt:
                    parts = {'ln_1': b.ln1, 'ln_2': b.ln2, 'attn.c_proj': b.attn.o, 'mlp.c_fc': b.fc, 'mlp.c_proj': b.proj}
                    prefix = f'h.{i}.'
                else:
                    parts = {'attention.self.query': b.attn.q, 'attention.self.key': b.attn.k, 'attention.self.value': b.attn.v,
                             'attention.output.dense': b.attn.o, 'intermediate.dense': b.fc, 'output.dense': b.proj,
                             'attention.output.LayerNorm': b.ln1, 'output.LayerNorm': b.ln2}
                    prefix = f'bert.encoder.layer.{i}.'
                for part, module in parts.items():
                    table[f'{prefix}{part}.weight'] = module.weight
                    table[f'{prefix}{part}.bias'] = module.bias
            self._names = table
        return self._names[name]

    def hf_config(self, special_ids):
        if self.kind == 'gpt':
            return {'architectures': ['GPT2LMHeadModel'], 'model_type': 'gpt2', 'vocab_size': self.V, 'n_positions': self.P,
                    'n_embd': self.C, 'n_layer': self.L, 'n_head': self.NH, 'n_inner': None, 'activation_function': 'gelu_new',
                    'layer_norm_epsilon': self.eps, 'scale_attn_weights': True, 'scale_attn_by_inverse_layer_idx': False,
                    'tie_word_embeddings': True, 'bos_token_id': special_ids['<|endoftext|>'], 'eos_token_id': special_ids['<|endoftext|>']}
        return {'architectures': ['BertForMaskedLM'], 'model_type': 'bert', 'vocab_size': self.V, 'max_position_embeddings': self.P,
                'hidden_size': self.C, 'num_hidden_layers': self.L, 'num_attention_heads': self.NH, 'intermediate_size': 4 * self.C,
                'hidden_act': 'gelu', 'layer_norm_eps': self.eps, 'type_vocab_size': 2, 'position_embedding_type': 'absolute',
                'tie_word_embeddings': True, 'pad_token_id': special_ids['[PAD]']}
