import { mixedCorpus } from './corpus';
import { loadBuiltinTokenizer } from '../src/engine/tokenizers/builtin';
import { Tiktoken } from 'js-tiktoken/lite';
import * as gt from 'gpt-tokenizer/encoding/cl100k_base';
const text = mixedCorpus('/work/main');
console.log('chars', text.length, 'bytes', Buffer.byteLength(text));
const ours = loadBuiltinTokenizer('cl100k_base');
const r = require('js-tiktoken/ranks/cl100k_base'); const js = new Tiktoken(r.default ?? r);
function t(f: () => number[]) { const s=performance.now(); const n=f().length; return [performance.now()-s, n]; }
for (let i=0;i<3;i++) {
 console.log('ours', t(()=>ours.encode(text)), 'js-tiktoken', t(()=>js.encode(text)), 'gpt-tokenizer', t(()=>gt.encode(text)));
}
