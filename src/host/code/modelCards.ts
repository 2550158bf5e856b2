/**
 * Model cards (src/engine/code/modelCard.ts) for the ids in open files, kept for a
 * minute so CodeLens and hover do not re-read config.json and safetensors headers on
 * every request; a model downloaded meanwhile shows up after that.
 */
import { describeCachedModel, type ModelCard } from '../../engine/code/modelCard';
import { hubCacheDir } from '../../engine/hub/hfCache';
import { engineErrorText } from '../engineErrorText';

const TTL_MS = 60_000;
const cards = new Map<string, { at: number; card: ModelCard }>();

export function modelCard(id: string): ModelCard {
  const hit = cards.get(id);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.card;
  let card: ModelCard;
  try { card = describeCachedModel(id, hubCacheDir()); } catch (e) { card = { id, validId: true, inCache: false, problem: engineErrorText(e) }; }
  cards.set(id, { at: Date.now(), card });
  return card;
}
