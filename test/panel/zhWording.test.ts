/**
 * The zh-CN wording fixes listed in issue 24 (item 3): each rejected phrase is gone from
 * l10n/bundle.l10n.zh-cn.json and its replacement is where the English says it; "通道" and
 * "追踪" are not used (维度 for model dimensions; 分步计算 / 分词过程 / 运行记录 for the three traces).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const zh = JSON.parse(readFileSync(join(__dirname, '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const values = Object.values(zh);
/** [rejected, replacement, a word of the English source where the replacement belongs]. */
const FIXES: [string, string, RegExp][] = [
  ['键值缓存按组数缩小', '缩小为原来的 1/g（g 为共享同一 K/V 头的查询头数）', /1\/g/],
  ['仅显示模式', '仅示意掩码形状', /pattern only/i],
  ['温度先除 logits', '先把 logits 除以温度', /Temperature divides the logits first/],
  ['个数 ×', '个数值 ×', /× \{3\} numbers/],
  ['查看它是如何生成的', '查看它是如何切分得到的', /how it was made/],
  ['对其做 LN₁ =', '经 LN₁ 后 =', /^LN₁ of it/],
  ['得到 −∞', '被置为 −∞', /get −∞/],
  ['更难训练得很深', '网络加深后更难训练', /harder to train deep/],
];

describe('zh-CN wording (issue 24, item 3)', () => {
  for (const [bad, good, english] of FIXES) {
    it(`“${bad}” → “${good}”`, () => {
      assert.deepEqual(values.filter((v) => v.includes(bad)), [], 'the rejected phrase is gone');
      const sources = Object.keys(zh).filter((k) => english.test(k));
      assert.ok(sources.length > 0, `an English source matches ${english}`);
      assert.ok(sources.some((k) => zh[k].includes(good)), 'the replacement is in its translation');
    });
  }

  it('model dimensions are 维度, seeds 随机种子, and 追踪 names none of the three traces', () => {
    assert.deepEqual(values.filter((v) => v.includes('通道') || v.includes('追踪')), []);
    assert.equal(zh['Step trace'], '分步计算');
    assert.equal(zh['Trace'], '分词过程');
    assert.match(zh['Save trace'], /运行记录/);
    assert.equal(zh['Seed'], '随机种子');
  });
});
