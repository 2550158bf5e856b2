/** The model families the engine runs, one module each. */
import { albert } from './albert';
import { bart } from './bart';
import { bert } from './bert';
import { distilbert } from './distilbert';
import { gemma3 } from './gemma3';
import { gpt2 } from './gpt2';
import { llama } from './llama';
import { t5 } from './t5';
import type { ArchitectureModule } from './types';

export type { ArchitectureModule, FieldNames } from './types';

export const ARCHITECTURES: readonly ArchitectureModule[] = [gpt2, bert, distilbert, albert, llama, gemma3, t5, bart];
