/**
 * Hostile strings for the panel: each, if it ever ran, would increment `window.__xss`.
 * 41 vectors × 6 wrappings = 246 payloads, plus the 10,000-character tokens. They are
 * used as token text, file names, model names and error text by test/webview/run.ts.
 */
const HIT = 'window.__xss++';

const VECTORS = [
  `<img src=x onerror="${HIT}">`,
  `<svg onload="${HIT}">`,
  `<script>${HIT}</script>`,
  `</script><script>${HIT}</script>`,
  `<a href="javascript:${HIT}">link</a>`,
  `<style onload="${HIT}"></style>`,
  `<iframe srcdoc="<script>parent.__xss++</script>"></iframe>`,
  `<body onload=${HIT}>`,
  `<details open ontoggle=${HIT}>`,
  `<input autofocus onfocus=${HIT}>`,
  `<video><source onerror=${HIT}></video>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${HIT}>`,
  `"><img src=x onerror=${HIT}>`,
  `'><svg/onload=${HIT}>`,
  `<marquee onstart=${HIT}>`,
  `<object data="javascript:${HIT}"></object>`,
  `<embed src="javascript:${HIT}">`,
  `<form><button formaction=javascript:${HIT}>go</button></form>`,
  `<meta http-equiv="refresh" content="0;url=javascript:${HIT}">`,
  `<base href="javascript:${HIT}//">`,
  `{{constructor.constructor('${HIT}')()}}`,
  '${' + HIT + '}',
  `<!--<img src="--><img src=x onerror=${HIT}//">`,
  `<noscript><p title="</noscript><img src=x onerror=${HIT}>">`,
  `<svg><animate onbegin=${HIT} attributeName=x dur=1s>`,
  `<link rel=stylesheet href="data:text/css,*{}" onload=${HIT}>`,
  `<scr\u0000ipt>${HIT}</scr\u0000ipt>`,
  `&lt;img src=x onerror=${HIT}&gt;`,
  `<img src="x\` onerror=${HIT}>`,
  `<x onclick=${HIT} id=xss-click>click</x>`,
  `<textarea><img src=x onerror=${HIT}></textarea>`,
  `<template><img src=x onerror=${HIT}></template>`,
  `</style><img src=x onerror=${HIT}>`,
  `<svg><script>${HIT}</script></svg>`,
  `javascript:${HIT}`,
  `data:text/html,<script>${HIT}</script>`,
  `Ġ<img src=x onerror=${HIT}>`,
  `</title><script>${HIT}</script>`,
  `<img src=x onerror=${HIT}>`.repeat(20),
  `\u202E<img src=x onerror=${HIT}>gnp.exe`,
  `<iframe src="javascript:parent.__xss++"></iframe>`,
];

const WRAPS: ((v: string) => string)[] = [
  (v) => v,
  (v) => ` ${v}`,
  (v) => `"${v}"`,
  (v) => `line\n${v}\r\n`,
  (v) => `\u202E${v}\u202C`,
  (v) => v.toUpperCase().replace('WINDOW.__XSS++', HIT),
];

export const XSS_PAYLOADS: string[] = [
  ...VECTORS.flatMap((v) => WRAPS.map((w) => w(v))),
  'A'.repeat(10_000),
  `<img src=x onerror=${HIT}>`.padEnd(10_000, 'x'),
];
