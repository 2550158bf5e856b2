/**
 * The panel's HTML shell as a pure function (no `vscode`), so the browser harness and the
 * CSP test use exactly what VS Code gets: CSP `default-src 'none'`, a fresh nonce per
 * render, scripts only by that nonce, styles and images only from our own origin
 * (vscode-extension-samples `webview-sample`). No user text is put in this HTML except a
 * title with markup characters removed: the webview renders data it receives.
 */
import { randomBytes } from 'node:crypto';

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export interface PanelHtmlParts {
  /** The webview's resource origin (`webview.cspSource`). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  nonce?: string;
  /** Scripts to run first with the same nonce, in <head> (the browser harness's stand-in for acquireVsCodeApi). */
  preludeUris?: string[];
  /**
   * dist/webviewBoot.js's text, inlined (with the nonce) in <head> before the stylesheet —
   * a script after a stylesheet waits for it — so it says `ready` while the rest loads.
   */
  bootScript?: string;
}

const attr = (s: string) => s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

export function panelHtml(p: PanelHtmlParts): string {
  const n = p.nonce ?? nonce();
  const csp = [
    "default-src 'none'",
    `style-src ${p.cspSource}`,
    `font-src ${p.cspSource}`,
    `img-src ${p.cspSource} data:`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  const tag = (u: string) => `<script nonce="${n}" src="${attr(u)}"></script>`;
  // `<\/` keeps a "</script" inside the code from closing the element
  const boot = p.bootScript ? [`<script nonce="${n}">${p.bootScript.replace(/<\//g, '<\\/')}</script>`] : [];
  const early = [...(p.preludeUris ?? []).map(tag), ...boot].map((s) => `${s}\n`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${early}<link rel="stylesheet" href="${attr(p.styleUri)}">
<title>${p.title.replace(/[<>&"']/g, '')}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
${tag(p.scriptUri)}
</body>
</html>`;
}
