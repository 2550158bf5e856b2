/**
 * Where the bundled data (media/) lives: found by walking up from this file, so the same
 * code works from src/ (tests, CLI under tsx), dist/ (the bundled extension and worker)
 * and an installed .vsix. Set TRANSFORMER_TRACER_MEDIA to override.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

export function mediaDir(): string {
  if (cached) return cached;
  const override = process.env.TRANSFORMER_TRACER_MEDIA;
  if (override) return (cached = override);
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'media');
    if (existsSync(join(candidate, 'tokenizers', 'PROVENANCE.json'))) return (cached = candidate);
    dir = dirname(dir);
  }
  throw new Error(`Transformer Tracer: cannot find the bundled media/ folder above ${__dirname}`);
}
