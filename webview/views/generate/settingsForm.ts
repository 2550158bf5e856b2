/**
 * The Generate view's decoding settings: greedy or sampling (temperature → top-k → top-p,
 * the warpers of src/shared/sampling.ts, with a seed so a run replays) and max new tokens.
 * Each field is checked as it is typed (the message names the field, as the Predictions
 * view does); `onChange` fires only with settings that can run.
 */
import { checkSampling, DEFAULT_SAMPLING } from '../../../src/shared/sampling';
import { generateSettingsProblem, MAX_NEW_TOKENS, type GenerateSettings } from '../../../src/shared/generateProtocol';
import { numberField } from '../../components/toolkit';
import { el } from '../../dom';
import { t } from '../../l10n';

export interface SettingsForm {
  node: HTMLElement;
  /** The settings, or undefined while a field is invalid (its message is shown). */
  read(): GenerateSettings | undefined;
}

export function settingsForm(onChange: () => void): SettingsForm {
  const radio = (value: string, label: string, checked: boolean) => {
    const input = el('input', { type: 'radio', name: 'generate-mode', value, id: `generate-mode-${value}`, checked });
    input.addEventListener('change', () => { sync(); onChange(); });
    return el('label', { class: 'generate-mode' }, input, ' ', label);
  };
  const greedy = radio('greedy', t('Greedy (always the most likely token)'), true);
  const sample = radio('sample', t('Sample (temperature, top-k, top-p, seed)'), false);
  const maxNew = numberField('generate-max-new', t('Max new tokens'), 20);
  const temperature = numberField('generate-temperature', t('Temperature'), DEFAULT_SAMPLING.temperature);
  const topK = numberField('generate-top-k', t('Top-k (0 = off)'), DEFAULT_SAMPLING.topK);
  const topP = numberField('generate-top-p', t('Top-p (1 = off)'), DEFAULT_SAMPLING.topP);
  const seed = numberField('generate-seed', t('Seed'), 0);
  const samplingFields = el('div', { class: 'attention-pickers', id: 'generate-sampling' }, temperature.node, topK.node, topP.node, seed.node);
  const error = el('p', { class: 'error', role: 'alert', id: 'generate-settings-error', hidden: true });
  const sampling = () => (sample.querySelector('input') as HTMLInputElement).checked;
  // .attention-pickers is display: flex, which outranks [hidden]: hide by style
  const sync = () => { samplingFields.hidden = !sampling(); samplingFields.style.display = sampling() ? '' : 'none'; };
  sync();

  const fields = [
    { field: maxNew, ok: (v: number) => Number.isInteger(v) && v >= 1 && v <= MAX_NEW_TOKENS, message: () => t('Max new tokens must be a whole number from 1 to {0}.', MAX_NEW_TOKENS), always: true },
    { field: temperature, ok: (v: number) => !checkSampling({ ...DEFAULT_SAMPLING, temperature: v }), message: () => t('The temperature must be a number above 0.'), always: false },
    { field: topK, ok: (v: number) => !checkSampling({ ...DEFAULT_SAMPLING, topK: v }), message: () => t('The top-k must be a whole number ≥ 0 (0 = off).'), always: false },
    { field: topP, ok: (v: number) => !checkSampling({ ...DEFAULT_SAMPLING, topP: v }), message: () => t('The top-p must be above 0 and at most 1 (1 = off).'), always: false },
    { field: seed, ok: (v: number) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff, message: () => t('The seed must be a whole number from 0 to 4294967295.'), always: false },
  ];
  const read = (): GenerateSettings | undefined => {
    const wrong = fields.filter((f) => (f.always || sampling()) && !f.ok(f.field.read()));
    for (const f of fields) {
      if (wrong.includes(f)) f.field.node.setAttribute('aria-invalid', 'true'); else f.field.node.removeAttribute('aria-invalid');
    }
    error.textContent = wrong.map((f) => f.message()).join(' ');
    error.hidden = wrong.length === 0;
    if (wrong.length) return undefined;
    const s: GenerateSettings = sampling()
      ? { maxNewTokens: maxNew.read(), sampling: { temperature: temperature.read(), topK: topK.read(), topP: topP.read() }, seed: seed.read() }
      : { maxNewTokens: maxNew.read() };
    return generateSettingsProblem(s) === undefined ? s : undefined;
  };
  for (const f of fields) f.field.node.addEventListener('input', () => { if (read()) onChange(); });
  const node = el('div', { id: 'generate-settings' },
    el('div', { class: 'attention-pickers', role: 'radiogroup', 'aria-label': t('Decoding') }, greedy, sample, maxNew.node), samplingFields, error);
  return { node, read };
}
