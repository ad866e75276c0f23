// The widget's stylesheet, adopted by each shadow root (a constructable sheet needs no
// `style-src` exception). Theme values arrive as custom properties set on the host.

const CSS = `
:host{all:initial;position:fixed;z-index:2147483000;bottom:16px;right:16px;width:360px;max-width:calc(100vw - 32px);
--lp-primary:#4f46e5;--lp-bg:#ffffff;--lp-text:#111827;--lp-font:system-ui,sans-serif;
font-family:var(--lp-font);color:var(--lp-text);font-size:15px;line-height:1.45}
:host([data-position=bottom-left]){right:auto;left:16px}
:host([data-position=center]){right:auto;bottom:auto;top:50%;left:50%;transform:translate(-50%,-50%)}
:host([data-inline]){position:static;transform:none;width:auto;max-width:640px;margin:0 auto;display:block}
*{box-sizing:border-box;font:inherit;color:inherit}
.card{position:relative;background:var(--lp-bg);border:1px solid rgba(17,24,39,.15);border-radius:12px;
box-shadow:0 10px 30px rgba(0,0,0,.18);padding:20px;animation:lp-in .2s ease-out}
:host([data-inline]) .card{box-shadow:none;padding:24px 20px}
.poll{padding:16px}
@keyframes lp-in{from{transform:translateY(8px)}to{transform:none}}
form{margin:0}
fieldset{border:0;margin:0;padding:0;min-width:0}
.prompt{display:block;font-weight:600;font-size:16px;margin:0 28px 12px 0;padding:0;white-space:pre-wrap}
:host([data-inline]) .prompt{margin-right:0;font-size:18px}
.close{position:absolute;top:8px;right:8px;width:32px;height:32px;border:0;border-radius:6px;background:transparent;display:flex;align-items:center;justify-content:center;
cursor:pointer;font-size:22px;line-height:1;padding:0}
.close:hover{background:rgba(17,24,39,.08)}
input[type=text],input[type=email],textarea,select{display:block;width:100%;padding:8px 10px;border:1px solid #6b7280;
border-radius:6px;background:var(--lp-bg)}
textarea{min-height:96px;resize:vertical}
.opt{display:flex;align-items:center;gap:8px;padding:6px 0;cursor:pointer}
.opt input{margin:0;width:18px;height:18px;accent-color:var(--lp-primary);flex:none}
.other{margin-top:4px}
.scale{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(0,1fr);gap:3px}
.pick{position:relative;min-width:0;cursor:pointer}
.pick input{position:absolute;opacity:0;width:100%;height:100%;margin:0;cursor:pointer}
.pick span{display:block;text-align:center;padding:6px 0;border:1px solid #6b7280;border-radius:6px;font-variant-numeric:tabular-nums}
.pick input:checked+span{background:var(--lp-primary);border-color:var(--lp-primary);color:#fff}
.stars .pick span,.emoji .pick span{border:0;font-size:26px;line-height:1.2;padding:2px 0}
.stars .pick span{color:#6b7280}
.stars .pick.on span,.stars .pick input:checked+span{background:none;color:#b45309}
.emoji .pick span{filter:grayscale(1)}
.emoji .pick input:checked+span{background:none;filter:none}
.ends{display:flex;justify-content:space-between;gap:8px;font-size:13px;margin-top:4px;color:var(--lp-text)}
.statement{margin:0 0 4px;white-space:pre-wrap}
.err{color:#b91c1c;font-size:14px;margin:8px 0 0}
.actions{display:flex;justify-content:flex-end;margin-top:16px}
.btn{border:0;border-radius:6px;padding:9px 18px;background:var(--lp-primary);color:#fff;font-weight:600;cursor:pointer}
.btn[disabled]{opacity:.6;cursor:default}
.title{font-size:22px;font-weight:700;margin:0 0 16px}
.thanks{margin:8px 28px 8px 0;font-size:16px;font-weight:600;white-space:pre-wrap}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
[hidden]{display:none!important}
:focus{outline:none}
:focus-visible,.pick input:focus-visible+span{outline:2px solid var(--lp-primary);outline-offset:2px}
@media (max-width:480px){
:host(:not([data-inline])){left:0;right:0;bottom:0;top:auto;width:100%;max-width:none;transform:none}
:host(:not([data-inline])) .card{border-radius:12px 12px 0 0;border-width:1px 0 0}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`;

let sheet: CSSStyleSheet | null = null;

/** Styles `root`: one shared constructable sheet, or a `<style>` where that is unsupported. */
export function adoptStyles(root: ShadowRoot): void {
  try {
    if (!sheet) {
      const s = new CSSStyleSheet();
      s.replaceSync(CSS);
      sheet = s;
    }
    (root as ShadowRoot & { adoptedStyleSheets: CSSStyleSheet[] }).adoptedStyleSheets = [sheet];
    return;
  } catch {
    /* older browsers: no constructable sheets */
  }
  const style = document.createElement('style');
  style.textContent = CSS;
  root.appendChild(style);
}
