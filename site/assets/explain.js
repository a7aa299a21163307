// "Explain a bounce" box: runs the project's own kb package in the browser with Pyodide, loaded from this
// site only when someone asks for an explanation. The input never leaves the browser.
// Per explanation there is one call into Python, strings in and one HTML string out: kb stays imported,
// the result is rendered by Python with every text from the records or the input escaped (html.escape);
// links are built from kb's own code keys.
(function () {
  var assets = new URL(".", document.currentScript.src).href;  // .../assets/, whatever page loaded it
  var PY = [
    "import kb",
    "from html import escape",
    "from kb import render",
    "def _explain(text, lang, root):",
    "    ex = kb.explain(text)",
    "    links = []",
    "    for c in (ex.reply.basic, ex.reply.enhanced):",
    "        rec = kb.get(c) if c else None",
    "        if rec is not None:",
    "            href = escape(f'{root}codes/{rec.kind}/{rec.key}/')",
    "            links.append(f'<a class=\"kb-explain__code\" href=\"{href}\">{escape(c)} {escape(rec.title(lang))}</a> ')",
    "    v, name = ex.verdict, ex.provider.name if ex.provider else None",
    "    data = (('outcome', v.outcome), ('retry', v.retry), ('reason', v.reason), ('provider', name))",
    "    attrs = ''.join(f' data-{k}=\"{escape(str(x))}\"' for k, x in data if x is not None)",
    "    return (f'<p>{\"\".join(links)}</p><p class=\"kb-explain__verdict\"{attrs}>{escape(name or \"\")}</p>'",
    "            f'<pre>{escape(render.explanation_text(ex, lang))}</pre>')",
  ].join("\n");
  var ready = null;

  function load(form) {
    if (ready) return ready;
    ready = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = assets + "pyodide/pyodide.js";
      s.onload = resolve;
      s.onerror = function () { reject(new Error("pyodide.js")); };
      document.head.appendChild(s);
    }).then(function () {
      return loadPyodide({ indexURL: assets + "pyodide/" });
    }).then(function (py) {
      return fetch(assets + "kb/" + form.dataset.wheel).then(function (r) {
        if (!r.ok) throw new Error("kb wheel: " + r.status);
        return r.arrayBuffer();
      }).then(function (buf) {
        py.unpackArchive(buf, "wheel");  // pure Python; its dependencies are not needed with the compiled index
        py.runPython(PY);
        return py.globals.get("_explain");
      });
    });
    return ready;
  }

  function setup(form) {
    var input = form.querySelector("textarea");
    var status = form.querySelector(".kb-explain__status");
    var out = form.querySelector(".kb-explain__result");
    var share = form.querySelector("input[type=checkbox]");
    var lang = document.documentElement.lang === "de" ? "de" : "en";
    if (location.hash.indexOf("#explain=") === 0) {
      // a shared address may be cut or mistyped: a malformed escape must not stop the box from working
      try { input.value = decodeURIComponent(location.hash.slice(9)); } catch (e) { input.value = ""; }
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = input.value;
      if (!text.trim()) return;
      status.textContent = form.dataset.loading;
      if (share && share.checked) history.replaceState(null, "", "#explain=" + encodeURIComponent(text));
      load(form).then(function (explain) {
        var t0 = performance.now();
        out.innerHTML = explain(text, lang, form.dataset.root);  // escaped by Python, see PY above
        status.textContent = "";
        form.dataset.ms = (performance.now() - t0).toFixed(2);  // read by bench/bench_site.py
        form.dataset.explained = String(Number(form.dataset.explained || 0) + 1);
      }).catch(function (err) {
        ready = null;
        status.textContent = form.dataset.failed + " (" + err.message + ")";
      });
    });
  }

  function init() { document.querySelectorAll("form.kb-explain").forEach(setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
