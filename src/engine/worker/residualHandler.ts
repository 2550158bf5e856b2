/**
 * The worker's side of the residual-stream views (residualProtocol.ts): the logit lens and
 * per-token loss from one forward pass that keeps each layer's stream (residualStream.ts),
 * the loss alone for the editor's decorations, and the embeddings view (embeddings.ts).
 * Each part is timed on its own so the panel can show what the lens and the loss cost
 * beyond the forward pass. Token text is decoded (" bank", not "Ġbank").
 */
import { prepare } from '../model/attentionJob';
import { contextualSimilarity, cosine, nearestTokens, tokenVector } from '../model/embeddings';
import { runModel } from '../model/loadModel';
import { ModelError, modelError } from '../model/modelError';
import { checkLanguageModel, logitLens, tokenLoss, type TokenLoss } from '../model/residualStream';
import { MAX_SELECTION_CHARS } from '../../shared/engineProtocol';
import { embeddingAskProblem, type EmbeddingContext, type PanelEmbedding, type PanelLoss, type ResidualAnswer, type ResidualRequest, type ResidualToken } from '../../shared/residualProtocol';
import { errorCode, type CodedError } from '../../shared/engineErrors';
import { errorL10nText, verbatim, type L10nText } from '../../shared/l10nText';

type Prepared = ReturnType<typeof prepare>;

function checkText(text: string): void {
  if (text.length > MAX_SELECTION_CHARS) throw modelError`The selection has ${text.length.toLocaleString('en-US')} characters; the engine reads at most ${MAX_SELECTION_CHARS.toLocaleString('en-US')}`;
}

/** id → its decoded text (the token's own spelling when the model has no tokenizer). */
function decoder(p: Prepared): (id: number) => string {
  const tok = p.entry.tokenizer?.tokenizer;
  return (id) => (tok ? tok.decode([id]) : `#${id}`);
}

function panelTokens(p: Prepared, text: (id: number) => string): ResidualToken[] {
  return p.tokens.map((t) => ({ id: t.id, text: text(t.id) || t.text, ...(t.start !== undefined ? { start: t.start, end: t.end } : {}) }));
}

function panelLoss(p: Prepared, loss: TokenLoss, text: (id: number) => string, timings: PanelLoss['timings']): PanelLoss {
  return {
    model: p.entry.model.name, tokens: panelTokens(p, text), nll: loss.nll, rank: loss.rank,
    top: loss.top.map((g) => g && g.map((e) => ({ id: e.id, prob: e.prob, text: text(e.id) }))), perplexity: loss.perplexity,
    ...(p.notice ? { notice: p.notice } : {}), ...(p.noticeCoded ? { noticeCoded: p.noticeCoded } : {}), timings,
  };
}

/** Lens and loss from one pass: the lens reads every layer's stream, the loss the final hidden state. */
export function runResidual(req: Extract<ResidualRequest, { kind: 'lens' }>): ResidualAnswer {
  checkText(req.text);
  const p = prepare({ model: req.model, text: req.text });
  const { model } = p.entry;
  checkLanguageModel(model.config, model.weights, 'logit lens');
  const ids = p.tokens.map((t) => t.id);
  const k = req.topK ?? 5;
  const t0 = performance.now();
  const r = runModel(model, { ids }, { record: 'none', keepResiduals: true });
  const t1 = performance.now();
  const lens = logitLens(model.config, model.weights, r, k, model.kernels);
  const t2 = performance.now();
  let loss: TokenLoss | undefined, lossProblem: string | undefined;
  let lossProblemCoded: CodedError | undefined, lossProblemL10n: L10nText | undefined;
  try { loss = tokenLoss(model.config, model.weights, r, ids, k, model.kernels); } catch (e) { lossProblem = (e as Error).message; lossProblemCoded = errorCode(e); lossProblemL10n = errorL10nText(e); }
  const t3 = performance.now();
  const text = decoder(p);
  const vocab: Record<string, string> = {};
  for (const id of [...ids, ...lens.finalIds]) vocab[id] ??= text(id);
  for (const layer of lens.cells) for (const c of layer) for (const id of c.top) vocab[id] ??= text(id);
  const timings = { forward: t1 - t0, lens: t2 - t1, loss: t3 - t2 };
  return {
    lens: {
      model: model.name, tokens: panelTokens(p, text), layers: lens.cells.length, T: ids.length, k,
      top: lens.cells.map((l) => l.map((c) => c.top)), probs: lens.cells.map((l) => l.map((c) => c.probs)),
      finalRank: lens.cells.map((l) => l.map((c) => c.finalRank)), finalProb: lens.cells.map((l) => l.map((c) => c.finalProb)),
      finalIds: lens.finalIds, vocab, ...(p.notice ? { notice: p.notice } : {}), ...(p.noticeCoded ? { noticeCoded: p.noticeCoded } : {}), timings,
    },
    ...(loss ? { loss: panelLoss(p, loss, text, { forward: timings.forward, loss: timings.loss }) } : { lossProblem, ...(lossProblemCoded ? { lossProblemCoded } : {}), ...(lossProblemL10n ? { lossProblemL10n } : {}) }),
  };
}

/** The per-token loss alone (no residuals kept): what the editor decorations show. */
export function runLoss(req: Extract<ResidualRequest, { kind: 'loss' }>): PanelLoss {
  checkText(req.text);
  const p = prepare({ model: req.model, text: req.text });
  const { model } = p.entry;
  checkLanguageModel(model.config, model.weights, 'per-token loss');
  const ids = p.tokens.map((t) => t.id);
  const t0 = performance.now();
  const r = runModel(model, { ids }, { record: 'none' });
  const t1 = performance.now();
  const loss = tokenLoss(model.config, model.weights, r, ids, req.topK ?? 5, model.kernels);
  return panelLoss(p, loss, decoder(p), { forward: t1 - t0, loss: performance.now() - t1 });
}

/**
 * The token that stands for `word` in `text`: the last token overlapping its first
 * occurrence (a word cut in pieces is read where its last piece has seen all of it).
 */
export function wordToken(tokens: readonly ResidualToken[], text: string, word: string): { position: number; pieces: number } {
  const start = text.indexOf(word), end = start + word.length;
  if (start < 0) throw modelError`“${word}” does not occur in “${text}”`;
  const covering = tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.start !== undefined && t.start < end && t.end! > start);
  if (covering.length === 0) throw modelError`no token of “${text}” covers “${word}”`;
  return { position: covering[covering.length - 1].i, pieces: covering.length };
}

export function runEmbedding(req: Extract<ResidualRequest, { kind: 'embedding' }>): PanelEmbedding {
  const problem = embeddingAskProblem(req as unknown as Record<string, unknown>);
  if (problem) throw new ModelError(verbatim(problem)); // the host refused the same request before sending it (isWebviewToHost)
  const a = prepare({ model: req.model, text: req.contextA });
  const b = prepare({ model: req.model, text: req.contextB });
  const model = a.entry.model;
  const text = decoder(a);
  const contexts = [[a, req.contextA], [b, req.contextB]].map(([p, t]) => {
    const tokens = panelTokens(p as Prepared, text);
    return { text: t as string, tokens, ...wordToken(tokens, t as string, req.word) };
  });
  const [ca, cb] = contexts;
  const idA = ca.tokens[ca.position].id, idB = cb.tokens[cb.position].id;
  const id = req.tokenId ?? idA;
  const layers = contextualSimilarity(model, ca.tokens.map((t) => t.id), ca.position, cb.tokens.map((t) => t.id), cb.position);
  return {
    model: model.name, word: req.word, token: { id, text: text(id) }, row: Array.from(tokenVector(model, id)),
    nearest: nearestTokens(model, id, req.nearest ?? 10).map((n) => ({ ...n, text: text(n.id) })),
    contexts: contexts.map(({ text: t, tokens, position }): EmbeddingContext => ({ text: t, tokens, position })) as [EmbeddingContext, EmbeddingContext],
    layers, staticCosine: cosine(tokenVector(model, idA), tokenVector(model, idB)), positions: model.config.positions,
    pieces: [ca.pieces, cb.pieces],
  };
}
