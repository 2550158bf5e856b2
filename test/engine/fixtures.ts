/**
 * Paths to the reference data the engine tests compare against: Hugging Face outputs in
 * ../shared/fixtures/hf (see its README) and gpt-tokenizer's data/TestPlans.txt.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..');

/** ../shared beside the repository (CI and developers), or TT_SHARED. */
export const SHARED = process.env.TT_SHARED ?? resolve(repoRoot, '..', 'shared');
export const HF_FIXTURES = join(SHARED, 'fixtures', 'hf');

export function readFixture(...parts: string[]): string {
  const p = join(HF_FIXTURES, ...parts);
  if (!existsSync(p)) throw new Error(`missing reference fixture ${p}: is ../shared beside the repository?`);
  return readFileSync(p, 'utf8');
}

export interface GoldenCase {
  text: string;
  gpt2: { ids: number[]; tokens: string[]; offsets: [number, number][] };
  bert_uncased: { ids: number[]; tokens: string[]; offsets: [number, number][] };
}

export function goldenTokenizerCases(): GoldenCase[] {
  return JSON.parse(readFixture('tokenizers', 'golden.json')).cases;
}

/** Python offsets count code points; the engine reports UTF-16 units. */
export function codePointToUtf16Offsets(text: string, offsets: [number, number][]): [number, number][] {
  const at = [0];
  for (const c of text) at.push(at[at.length - 1] + c.length);
  return offsets.map(([a, b]) => [at[a], at[b]]);
}

export interface TestPlan { encoding: string; sample: string; encoded: number[] }

/** gpt-tokenizer's TestPlans.txt: blocks of `EncodingName:`, `Sample:`, `Encoded:` lines. */
export function loadTestPlans(): TestPlan[] {
  const text = readFileSync(join(repoRoot, 'node_modules', 'gpt-tokenizer', 'data', 'TestPlans.txt'), 'utf8');
  const plans: TestPlan[] = [];
  for (const block of text.split('\n\n')) {
    const [nameLine, sampleLine, encodedLine] = block.split('\n');
    if (!nameLine || sampleLine === undefined || !encodedLine) continue;
    plans.push({
      encoding: nameLine.slice('EncodingName: '.length),
      sample: sampleLine.slice('Sample: '.length),
      encoded: JSON.parse(encodedLine.slice('Encoded: '.length)),
    });
  }
  return plans;
}
