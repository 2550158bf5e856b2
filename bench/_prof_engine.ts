import { handle } from '/work/main/src/engine/worker/handlers';
const SENTENCE = 'The quick brown fox jumps over the lazy dog. A bird in the hand is worth two in the bush.';
const text = Array.from({ length: 40 }, () => SENTENCE).join(' ');
handle({ kind: 'attention', model: 'tiny-gpt', text, record: 'weights' });
const times: number[] = [];
for (let i = 0; i < 15; i++) {
  const t0 = performance.now();
  const a = handle({ kind: 'attention', model: 'tiny-gpt', text: text + ' ' + i, record: 'weights' });
  times.push(performance.now() - t0);
  if (i === 0) console.log('T', a.T, 'forward', a.timings.forward.toFixed(1));
}
times.sort((a, b) => a - b);
console.log('median total', times[7].toFixed(1), 'min', times[0].toFixed(1));
