/**
 * VS Code's Dark Modern and Light Modern themes as a webview sees them, for the browser
 * harness (run.ts): the `--vscode-*` variables VS Code sets on a webview's <html>, the
 * body class (`vscode-dark` / `vscode-light`) and `data-vscode-theme-*`, and VS Code's
 * default webview styles, so the harness page looks like the panel does in VS Code.
 *
 * Where each part comes from (code-server 4.139.1, VS Code's own build, in the e2e tools
 * cache; nothing here is typed in by hand except the registry defaults below):
 * - colours: lib/vscode/extensions/theme-defaults/themes/{dark,light}_modern.json and the
 *   files they `include` (dark_plus → dark_vs, light_plus → light_vs), read at test time;
 * - colours those themes leave out: the defaults VS Code registers for them
 *   (`registerColor` in src/vs/platform/theme/common/colors/*.ts), copied below from
 *   lib/vscode/out/vs/code/browser/workbench/workbench.js; a reference (`=id`) means "the
 *   value of that colour" and `=id@0.2` "that colour at 20% opacity" (the registry's
 *   `transparent(id, 0.2)`);
 * - fonts: the workbench's Linux defaults and the webview's variables
 *   (workbench.js: `vscode-font-family`, `vscode-font-size: 13px`, editor 14px);
 * - default styles: the `@layer vscode-default` block VS Code puts in every webview
 *   (lib/vscode/out/vs/workbench/contrib/webview/browser/pre/index.html), plus the editor
 *   background behind the frame.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';

export type ThemeName = 'dark' | 'light';

export interface WebviewTheme {
  name: ThemeName;
  /** The theme's label, as `data-vscode-theme-name` carries it. */
  label: string;
  /** VS Code's body class and `data-vscode-theme-kind`. */
  kind: 'vscode-dark' | 'vscode-light';
  /** Variable name without the leading `--` (`vscode-foreground`) → CSS value. */
  styles: Record<string, string>;
}

const THEME_FILES: Record<ThemeName, { file: string; label: string; kind: WebviewTheme['kind'] }> = {
  dark: { file: 'dark_modern.json', label: 'Dark Modern', kind: 'vscode-dark' },
  light: { file: 'light_modern.json', label: 'Light Modern', kind: 'vscode-light' },
};

/** Registry defaults for colours the panel or the toolkit reads and the two themes do not set. `null`: VS Code sets no variable. */
const REGISTRY_DEFAULTS: Record<string, Record<ThemeName, string | null>> = {
  'list.activeSelectionBackground': { dark: '#04395E', light: '#0060C0' },
  'list.activeSelectionForeground': { dark: '#FFFFFF', light: '#FFFFFF' },
  'list.hoverBackground': { dark: '#2A2D2E', light: '#F0F0F0' },
  'scrollbarSlider.background': { dark: '#79797966', light: '#64646466' },
  'scrollbarSlider.hoverBackground': { dark: '#646464B3', light: '#646464B3' },
  'scrollbarSlider.activeBackground': { dark: '#BFBFBF66', light: '#00000099' },
  'checkbox.foreground': { dark: '=dropdown.foreground', light: '=dropdown.foreground' },
  'editorWarning.foreground': { dark: '#CCA700', light: '#BF8803' },
  'editorInfo.foreground': { dark: '#59a4f9', light: '#0063d3' },
  'charts.blue': { dark: '=editorInfo.foreground', light: '=editorInfo.foreground' },
  'charts.green': { dark: '#89D185', light: '#388A34' },
  'settings.dropdownListBorder': { dark: '=editorWidget.border', light: '=editorWidget.border' },
  'editorWidget.border': { dark: '=editorWidget.foreground@0.2', light: '=editorWidget.foreground@0.2' },
  'editorWidget.foreground': { dark: '=foreground', light: '=foreground' },
  'inputValidation.errorBackground': { dark: '#5A1D1D', light: '#F2DEDE' },
  'inputValidation.errorBorder': { dark: '#BE1100', light: '#BE1100' },
  'inputValidation.errorForeground': { dark: null, light: null },
  'inputValidation.warningBackground': { dark: '#352A05', light: '#F6F5D2' },
  'inputValidation.warningBorder': { dark: '#B89500', light: '#B89500' },
  'contrastBorder': { dark: null, light: null },
  'contrastActiveBorder': { dark: null, light: null },
};

const FONTS = {
  'vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  'vscode-font-weight': 'normal',
  'vscode-font-size': '13px',
  'vscode-editor-font-family': "'Droid Sans Mono', monospace",
  'vscode-editor-font-weight': 'normal',
  'vscode-editor-font-size': '14px',
};

/** The theme-defaults folder of the code-server in `tools` (the e2e tools cache). */
export function themesFolder(tools: string): string {
  return join(tools, 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'theme-defaults', 'themes');
}

/** `#rgb`, `#rrggbb` or `#rrggbbaa` with its alpha multiplied by `opacity`: withOpacity('#CCCCCC', 0.2) = '#CCCCCC33'. */
function withOpacity(hex: string, opacity: number): string {
  const h = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  if (!/^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(h)) throw new Error(`themes: cannot make ${hex} transparent`);
  const alpha = (h.length === 9 ? parseInt(h.slice(7), 16) / 255 : 1) * opacity;
  return h.slice(0, 7) + Math.round(alpha * 255).toString(16).padStart(2, '0').toUpperCase();
}

/** A theme file's colours with those of the files it includes underneath (the theme's own win). */
function themeColours(file: string): Record<string, string> {
  if (!existsSync(file)) throw new Error(`themes: VS Code theme file not found: ${file} (run test/e2e/install-tools.sh)`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { include?: string; colors?: Record<string, string> };
  const base = json.include ? themeColours(join(dirname(file), json.include)) : {};
  return { ...base, ...(json.colors ?? {}) };
}

/** The webview variables of one theme: every colour the theme sets, the registry defaults above, the fonts. */
export function loadTheme(tools: string, name: ThemeName): WebviewTheme {
  const { file, label, kind } = THEME_FILES[name];
  const colours = themeColours(join(themesFolder(tools), file));
  const resolve = (id: string, seen: string[] = []): string | null => {
    if (colours[id]) return colours[id];
    const d = REGISTRY_DEFAULTS[id];
    if (!d) throw new Error(`themes: ${label} sets no colour ${id} and there is no registry default for it (${seen.join(' → ') || 'asked directly'})`);
    const v = d[name];
    if (!v?.startsWith('=')) return v;
    const [ref, opacity] = v.slice(1).split('@');
    const base = resolve(ref, [...seen, id]);
    return base && opacity ? withOpacity(base, Number(opacity)) : base;
  };
  const styles: Record<string, string> = { ...FONTS };
  for (const id of new Set([...Object.keys(colours), ...Object.keys(REGISTRY_DEFAULTS)])) {
    const v = resolve(id);
    if (v !== null) styles[`vscode-${id.replace(/\./g, '-')}`] = v;
  }
  return { name, label, kind, styles };
}

/** VS Code's default webview styles (pre/index.html), and the editor background the webview's frame sits on. */
export const WEBVIEW_DEFAULT_CSS = `@layer vscode-default {
  html { scrollbar-color: var(--vscode-scrollbarSlider-background) var(--vscode-editor-background); background-color: var(--vscode-editor-background); }
  body { overscroll-behavior-x: none; background-color: transparent; color: var(--vscode-editor-foreground); font-family: var(--vscode-font-family);
    font-weight: var(--vscode-font-weight); font-size: var(--vscode-font-size); margin: 0; padding: 0 20px; }
  img, video { max-width: 100%; max-height: 100%; }
  a, a code { color: var(--vscode-textLink-foreground); }
  a:hover { color: var(--vscode-textLink-activeForeground); }
  code { font-family: var(--monaco-monospace-font); color: var(--vscode-textPreformat-foreground); background-color: var(--vscode-textPreformat-background); padding: 1px 3px; border-radius: 4px; }
  pre code { padding: 0; }
  ::-webkit-scrollbar { width: 10px; height: 10px; }
  ::-webkit-scrollbar-corner { background-color: var(--vscode-editor-background); }
  ::-webkit-scrollbar-thumb { background-color: var(--vscode-scrollbarSlider-background); }
}
`;

/**
 * In-page code (a string, for a prelude script in <head>) that defines
 * `window.__applyTheme(name)`: what VS Code's webview host does on a theme change
 * (applyStyles in pre/index.html) — replace the `--vscode-*` variables on <html>, set the
 * body class and data-vscode-theme-*. It applies the first theme at once (the body, not
 * parsed yet, gets its attributes from {@link withThemeBody}) and links the default
 * styles from `cssUrl` (the page's CSP allows stylesheets from its own origin only).
 */
export function themeScript(themes: WebviewTheme[], cssUrl: string): string {
  const byName = Object.fromEntries(themes.map((t) => [t.name, t]));
  return `(() => {
  const themes = ${JSON.stringify(byName)};
  const link = document.createElement('link'); link.rel = 'stylesheet'; link.href = ${JSON.stringify(cssUrl)};
  document.head.prepend(link);
  window.__applyTheme = (name) => {
    const t = themes[name]; if (!t) throw new Error('no theme ' + name);
    const style = document.documentElement.style;
    for (let i = style.length - 1; i >= 0; i--) if (style[i].startsWith('--vscode-')) style.removeProperty(style[i]);
    for (const [k, v] of Object.entries(t.styles)) style.setProperty('--' + k, v);
    window.__theme = name;
    const body = document.body;
    if (!body) return;
    body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
    body.classList.add(t.kind);
    body.dataset.vscodeThemeKind = t.kind;
    body.dataset.vscodeThemeName = t.label;
    body.dataset.vscodeThemeId = t.label;
  };
  window.__applyTheme(${JSON.stringify(themes[0].name)});
})();
`;
}

/** The page's HTML with `<body>` carrying the theme's class and data-vscode-theme-*, as VS Code sets them before the page's scripts run. */
export function withThemeBody(html: string, t: WebviewTheme): string {
  const attrs = `class="${t.kind}" data-vscode-theme-kind="${t.kind}" data-vscode-theme-name="${t.label}" data-vscode-theme-id="${t.label}"`;
  if (!html.includes('<body>')) throw new Error('themes: the page has no plain <body> tag to theme');
  return html.replace('<body>', `<body ${attrs}>`);
}

/**
 * Screenshot the page in each theme as `dir/name-dark.png` and `dir/name-light.png`,
 * switching as VS Code does (the page repaints what it draws itself), calling `each` in
 * each theme (e.g. a contrast check), and leaving the page in the theme it was in.
 */
export async function shootInThemes(page: Page, dir: string, name: string, options: { fullPage?: boolean }, each?: (theme: ThemeName) => Promise<void>): Promise<void> {
  const before = await page.evaluate(() => (window as unknown as { __theme: ThemeName }).__theme);
  for (const theme of ['dark', 'light'] as const) {
    await page.evaluate((t) => new Promise((ok) => {
      (window as unknown as { __applyTheme: (n: string) => void }).__applyTheme(t);
      requestAnimationFrame(() => requestAnimationFrame(ok));
    }), theme);
    await page.screenshot({ path: join(dir, `${name}-${theme}.png`), ...options });
    await each?.(theme);
  }
  await page.evaluate((t) => (window as unknown as { __applyTheme: (n: string) => void }).__applyTheme(t), before);
}
