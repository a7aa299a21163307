// "Explain a bounce" box: runs the project's own kb package in the browser with Pyodide, loaded from this
// site only when someone asks for an explanation. The input never leaves the browser; the result is put
// into the page as text (textContent), links are built from kb's own code keys.
(function () {
  var assets = new URL(".", document.currentScript.src).href;  // .../assets/
  var PY = [
    "import json, kb",
    "from kb import render",
    "def _explain(text, lang):",
    "    ex = kb.explain(text)",
    "    codes = []",
    "    for c in (ex.reply.basic, ex.reply.enhanced):",
    "        rec = kb.get(c) if c else None",
    "        if rec is not None:",
    "            codes.append([c, rec.kind, rec.key, rec.title(lang)])",
    "    v = ex.verdict",
    "    return json.dumps({'text': render.explanation_text(ex, lang), 'codes': codes,",
    "                       'outcome': v.outcome, 'retry': v.retry, 'reason': v.reason,",
    "                       'provider': ex.provider.name if ex.provider else None})",
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

  function show(form, result) {
    var out = form.querySelector(".kb-explain__result");
    out.replaceChildren();
    var links = document.createElement("p");
    result.codes.forEach(function (c) {
      var a = document.createElement("a");
      a.href = form.dataset.root + "codes/" + c[1] + "/" + c[2] + "/";
      a.textContent = c[0] + " " + c[3];
      a.className = "kb-explain__code";
      links.appendChild(a);
      links.appendChild(document.createTextNode(" "));
    });
    var verdict = document.createElement("p");
    verdict.className = "kb-explain__verdict";
    verdict.textContent = result.provider || "";
    verdict.dataset.outcome = result.outcome;
    verdict.dataset.retry = result.retry;
    verdict.dataset.reason = result.reason;
    if (result.provider) verdict.dataset.provider = result.provider;
    var pre = document.createElement("pre");
    pre.textContent = result.text;
    out.append(links, verdict, pre);
  }

  function setup(form) {
    var input = form.querySelector("textarea");
    var status = form.querySelector(".kb-explain__status");
    var share = form.querySelector("input[type=checkbox]");
    if (location.hash.indexOf("#explain=") === 0) input.value = decodeURIComponent(location.hash.slice(9));
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = input.value;
      if (!text.trim()) return;
      status.textContent = form.dataset.loading;
      if (share && share.checked) history.replaceState(null, "", "#explain=" + encodeURIComponent(text));
      load(form).then(function (explain) {
        var t0 = performance.now();
        var result = JSON.parse(explain(text, document.documentElement.lang === "de" ? "de" : "en"));
        status.textContent = "";
        show(form, result);
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
