/// The console's stylesheet: system fonts, high contrast, one column at phone width.
enum ConsoleStyle {
    static let css = #"""
:root{--ink:#1b1b1b;--muted:#505050;--line:#c8c8c8;--accent:#0b5cad;--bad:#a4262c;--good:#0e700e;--bg:#f6f6f6}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:var(--bg)}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;padding:.75rem 1rem;background:#fff;border-bottom:1px solid var(--line)}
h1{font-size:1.25rem;margin:0}
h2{font-size:1.15rem}
main{max-width:52rem;margin:0 auto;padding:1rem}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem;margin-bottom:1rem}
label{display:block;font-weight:600;margin-top:.75rem}
input,select{font:inherit;width:100%;padding:.5rem;border:1px solid #767676;border-radius:4px;background:#fff;color:var(--ink)}
input[type=checkbox]{width:auto;margin-right:.5rem}
.check{display:flex;align-items:center;margin-top:.75rem}.check label{margin:0;font-weight:400}
fieldset{border:1px solid var(--line);border-radius:4px;margin-top:1rem}
fieldset label{font-weight:400;margin-top:.25rem}
button{font:inherit;padding:.5rem .9rem;margin:.25rem .25rem .25rem 0;border:1px solid var(--accent);border-radius:4px;background:var(--accent);color:#fff;cursor:pointer;min-height:44px}
button.secondary{background:#fff;color:var(--accent)}
button:disabled{opacity:.55;cursor:not-allowed}
button:focus-visible,input:focus-visible,select:focus-visible,a:focus-visible,summary:focus-visible{outline:3px solid #ffb900;outline-offset:2px}
.bar{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem}
.hint{color:var(--muted);font-weight:400;font-size:.9rem}
.error{color:var(--bad);font-weight:600}
.ok{color:var(--good);font-weight:600}
ul.channels{list-style:none;padding:0;margin:0}
ul.channels>li{border-top:1px solid var(--line);padding:.75rem 0}
.channel-name{font-weight:700;font-size:1.05rem}
.badge{display:inline-block;padding:0 .4rem;border-radius:3px;border:1px solid var(--muted);font-size:.8rem;margin-left:.4rem}
.badge.paused{border-color:var(--bad);color:var(--bad)}
ul.plain{list-style:none;padding:0}
ul.plain li{padding:.25rem 0;border-bottom:1px solid #eee}
ol.crumbs{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
ol.crumbs li::after{content:" ›"}ol.crumbs li:last-child::after{content:""}
details{margin:.5rem 0;background:#eef4fb;padding:.5rem;border-radius:4px}
a{color:var(--accent)}
@media (max-width:40rem){main{padding:.5rem}section{padding:.75rem}button{width:100%}}
"""#
}
