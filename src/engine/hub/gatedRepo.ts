/**
 * Gated repos (meta-llama/Llama-3.2-1B and the like): the Hub answers 401 without a token and
 * 403 with a token whose account has not been granted access, with `X-Error-Code: GatedRepo`
 * (huggingface_hub's hf_raise_for_status maps that header to GatedRepoError). The message says
 * what to do: accept the terms on the model's page, make a read token, give it as HF_TOKEN or
 * the setting transformerTracer.hub.token. The token itself is never in a message.
 */
import { ModelError } from '../model/modelError';
import { phrase, type L10nText } from '../../shared/l10nText';

export interface GatedRepoInfo {
  /** the model, as formatHubId writes it */
  id: string;
  status: number;
  tokenGiven: boolean;
  /** The model's page, where its terms are accepted. */
  pageUrl: string;
  /** Where read tokens are made. */
  tokensUrl: string;
}

export function gatedRepoMessage(g: GatedRepoInfo): L10nText {
  if (!g.tokenGiven) {
    return phrase`${g.id} is a gated repo (the Hub answered ${g.status}, no token was given): accept its terms at ${g.pageUrl} while logged in, create a read token at ${g.tokensUrl}, then give it as HF_TOKEN (environment) or the setting transformerTracer.hub.token`;
  }
  if (g.status === 403) {
    return phrase`${g.id} is a gated repo and the token given has no access to it yet (the Hub answered 403): accept its terms at ${g.pageUrl} with the account the token belongs to (the authors may have to approve the request), then try again`;
  }
  return phrase`${g.id} is a gated repo and the token given was refused (the Hub answered ${g.status}: expired, revoked or mistyped?): create a read token at ${g.tokensUrl} and give it as HF_TOKEN or the setting transformerTracer.hub.token`;
}

export class GatedRepoError extends ModelError {
  override name = 'GatedRepoError';
  constructor(readonly info: GatedRepoInfo) { super(gatedRepoMessage(info)); }
}
