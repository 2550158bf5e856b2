/**
 * LayerNorm vs BatchNorm axes on a tokens × features grid, worked by hand: LayerNorm's
 * statistics along each row (one token), BatchNorm's along each column (one feature over the
 * batch), population variance as torch.nn.LayerNorm / BatchNorm1d use in their forward pass.
 */
import { strict as assert } from 'node:assert';
import { batchNormStats, layerNormStats } from '../../webview/views/attention/normAxes';

describe('LayerNorm vs BatchNorm axes', () => {
  // token 0: [1, 3] → mean 2, std 1; token 1: [5, 11] → mean 8, std 3
  // feature 0: [1, 5] → mean 3, std 2; feature 1: [3, 11] → mean 7, std 4
  const rows = [[1, 3], [5, 11]];
  it('LayerNorm: per token, over its features', () => {
    assert.deepEqual(layerNormStats(rows), [{ mean: 2, std: 1 }, { mean: 8, std: 3 }]);
  });
  it('BatchNorm: per feature, over the tokens (only the features asked for)', () => {
    assert.deepEqual(batchNormStats(rows, 6), [{ mean: 3, std: 2 }, { mean: 7, std: 4 }]);
    assert.deepEqual(batchNormStats(rows, 1), [{ mean: 3, std: 2 }]);
  });
});
