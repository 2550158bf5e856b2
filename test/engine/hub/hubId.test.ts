/** Hub ids as typed by users, and the file names a server may send, checked strictly. */
import { strict as assert } from 'node:assert';
import { parseHubId, requireHubId, cacheFolderName } from '../../../src/engine/hub/hubId';
import { checkRepoFileName } from '../../../src/engine/hub/hubModel';
import { hubCacheDir, isOffline } from '../../../src/engine/hub/hfCache';

describe('Hub ids and cache locations', () => {
  it('accepts NAME, ORG/NAME and @REVISION', () => {
    assert.deepEqual(parseHubId('gpt2'), { repo: 'gpt2', revision: 'main' });
    assert.deepEqual(parseHubId('prajjwal1/bert-tiny'), { repo: 'prajjwal1/bert-tiny', revision: 'main' });
    assert.deepEqual(parseHubId('distilbert-base-uncased@v1.0'), { repo: 'distilbert-base-uncased', revision: 'v1.0' });
    assert.deepEqual(parseHubId('org/x@refs/pr/1'), { repo: 'org/x', revision: 'refs/pr/1' });
    assert.equal(cacheFolderName('prajjwal1/bert-tiny'), 'models--prajjwal1--bert-tiny');
  });

  it('refuses ids that could leave the cache or are not ids', () => {
    for (const bad of ['..', '../gpt2', 'a/../b', 'a/b/c', '/abs', 'org/', '-x', 'a--b', 'gpt2@', 'gpt2@../../x', 'gpt2@a/../b', 'a b', 'C:\\m', '']) {
      assert.equal(parseHubId(bad), undefined, bad);
    }
    assert.throws(() => requireHubId('a/b/c'), /"a\/b\/c" is not a Hugging Face model id/);
  });

  it('refuses server file names with "..", absolute paths or backslashes', () => {
    assert.equal(checkRepoFileName('model-00001-of-00002.safetensors'), 'model-00001-of-00002.safetensors');
    assert.equal(checkRepoFileName('onnx/model.safetensors'), 'onnx/model.safetensors');
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'a\\b', '', 'a//b', './a']) assert.throws(() => checkRepoFileName(bad), /refused file name/, bad);
  });

  it('finds the cache as huggingface_hub does: HF_HUB_CACHE, then HF_HOME/hub, then ~/.cache/huggingface/hub', () => {
    assert.equal(hubCacheDir({ HF_HUB_CACHE: '/c', HF_HOME: '/h' }), '/c');
    assert.equal(hubCacheDir({ HF_HOME: '/h' }), '/h/hub');
    assert.equal(hubCacheDir({ XDG_CACHE_HOME: '/x' }), '/x/huggingface/hub');
    assert.match(hubCacheDir({}), /\.cache\/huggingface\/hub$/);
    assert.equal(isOffline({ HF_HUB_OFFLINE: '1' }), true);
    assert.equal(isOffline({ HF_HUB_OFFLINE: '0' }), false);
  });
});
