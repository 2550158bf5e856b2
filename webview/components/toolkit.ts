/**
 * The only file that touches @vscode/webview-ui-toolkit (no longer maintained upstream):
 * it registers the components and builds them, so swapping the toolkit later means
 * rewriting this file alone. Everything else asks for "a dropdown", "a button", "tabs".
 */
import {
  provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeDropdown, vsCodeOption,
  vsCodePanels, vsCodePanelTab, vsCodePanelView, vsCodeTextField, vsCodeBadge,
} from '@vscode/webview-ui-toolkit';
import { el } from '../dom';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodePanels(), vsCodePanelTab(), vsCodePanelView(), vsCodeTextField(), vsCodeDivider(), vsCodeBadge());
  registered = true;
}

export function dropdown(id: string, label: string, options: string[], current: string, onChange: (value: string) => void): HTMLElement {
  const dd = el('vscode-dropdown', { id, 'aria-label': label, position: 'below' });
  for (const o of options) {
    const opt = el('vscode-option', { value: o }, o);
    if (o === current) opt.setAttribute('selected', '');
    dd.append(opt);
  }
  dd.addEventListener('change', () => onChange((dd as unknown as { value: string }).value));
  return el('label', { class: 'field' }, el('span', {}, label), dd);
}

export function button(label: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'primary', id?: string): HTMLElement {
  const b = el('vscode-button', { appearance, id }, label);
  b.addEventListener('click', onClick);
  return b;
}

export function numberField(id: string, label: string, value: number): { node: HTMLElement; read: () => number } {
  const f = el('vscode-text-field', { id, value: String(value), size: 6, inputmode: 'numeric' }, label);
  return { node: f, read: () => Number((f as unknown as { value: string }).value) };
}

export function badge(text: string): HTMLElement {
  return el('vscode-badge', {}, text);
}

export function divider(): HTMLElement {
  return el('vscode-divider', { role: 'separator' });
}

/** Tabs: `[title, content]` pairs; returns the element and a function to select a tab. */
export function tabs(id: string, pages: [string, HTMLElement][], onSelect?: (index: number) => void): { node: HTMLElement; select: (index: number) => void } {
  const panels = el('vscode-panels', { id });
  // The toolkit's panels emit `change` with the newly active tab as the event's detail.
  let current = 0;
  panels.addEventListener('change', (e) => {
    const tab = (e as CustomEvent<unknown>).detail;
    const tabId = tab instanceof HTMLElement ? tab.id : '';
    const index = tabId.startsWith(`${id}-tab-`) ? Number(tabId.slice(`${id}-tab-`.length)) : NaN;
    if (Number.isInteger(index) && index !== current) {
      current = index;
      onSelect?.(index);
    }
  });
  pages.forEach(([title], i) => panels.append(el('vscode-panel-tab', { id: `${id}-tab-${i}` }, title)));
  pages.forEach(([, content], i) => panels.append(el('vscode-panel-view', { id: `${id}-view-${i}` }, content)));
  return { node: panels, select: (i) => panels.setAttribute('activeid', `${id}-tab-${i}`) };
}
