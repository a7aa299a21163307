// When a search finds nothing in this language, offer the same query in the other edition
// ("Postfach voll" on the English site). Material opens the search from ?q= on load.
(function () {
  function editionRoots() {
    var cfg = JSON.parse(document.getElementById("__config").textContent);
    var base = new URL(cfg.base.replace(/\/?$/, "/"), location.href);
    var de = document.documentElement.lang === "de";
    var label = document.querySelector('meta[name="kb-search-other"]');  // from the text catalogue (main.html)
    return { other: de ? new URL("../", base) : new URL("de/", base), label: label ? label.content : "" };
  }
  function init() {
    var meta = document.querySelector(".md-search-result__meta");
    var input = document.querySelector("input.md-search__input");
    var list = document.querySelector(".md-search-result__list");
    if (!meta || !input || !list || !document.getElementById("__config")) return;
    var roots = editionRoots();
    var link = document.createElement("a");
    link.className = "kb-search-other";
    link.textContent = roots.label;
    link.hidden = true;
    // Material handles clicks in the search panel and on the page: a click in the results closes the
    // search, and a link into another language's root is turned into "this page in that language"
    // (dropping ?q=). This link is an ordinary one: its click (or Enter on it) goes where it points.
    link.addEventListener("click", function (ev) { ev.stopPropagation(); });
    meta.after(link);
    new MutationObserver(function () {
      var q = input.value.trim();
      var empty = q.length > 1 && !list.children.length;
      link.hidden = !empty;
      // without an href the hidden link is no stop for Material's arrow keys in the results
      if (empty) link.href = roots.other.href + "?q=" + encodeURIComponent(q);
      else link.removeAttribute("href");
    }).observe(meta, { childList: true, characterData: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
