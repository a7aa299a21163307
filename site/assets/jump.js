// "Go to a code" box (home page): 421 -> codes/basic/421/, 4.7.0 -> codes/enhanced/X.7.0/.
// Unknown or malformed input falls back to the site search (?q=), which Material opens on load.
(function () {
  function normalize(raw) {
    var s = raw.trim().toUpperCase();
    if (/^[1-5][0-9][0-9]$/.test(s)) return s;
    var m = /^([245X])\.([0-9]{1,3})\.([0-9]{1,3})$/.exec(s);
    if (m) return "X." + Number(m[2]) + "." + Number(m[3]);
    // a whole reply line: "550 5.7.26 ..." -> prefer the enhanced code, else the basic one
    m = /\b([245])\.([0-9]{1,3})\.([0-9]{1,3})\b/.exec(s);
    if (m) return "X." + Number(m[2]) + "." + Number(m[3]);
    m = /^([1-5][0-9][0-9])[\s-]/.exec(s);
    return m ? m[1] : null;
  }
  function setup(form) {
    var known = new Set((form.dataset.codes || "").split(" "));
    var input = form.querySelector("input");
    var out = form.querySelector("output");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var key = normalize(input.value);
      if (key && known.has(key)) {
        var kind = key.indexOf(".") < 0 ? "basic" : "enhanced";
        window.location.href = new URL("codes/" + kind + "/" + key + "/", window.location.href).href;
      } else if (input.value.trim()) {
        out.textContent = form.dataset.unknown;
        window.location.href = new URL("?q=" + encodeURIComponent(input.value.trim()), window.location.href).href;
      }
    });
  }
  function init() {
    document.querySelectorAll("form.kb-jump").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
