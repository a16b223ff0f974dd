/* common.js: the site's own small DOM helper ($) and page behaviours. */
(function (win, doc) {
  function Q(nodes) { this.nodes = nodes; }
  Q.prototype.on = function (type, selector, fn) {
    this.nodes.forEach(function (node) {
      node.addEventListener(type, function (e) {
        var el = e.target && e.target.closest ? e.target.closest(selector) : null;
        if (el && (node === doc || node.contains(el))) {
          e.preventDefault();
          fn.call(el, e);
        }
      });
    });
    return this;
  };
  Q.prototype.addClass = function (name) {
    this.nodes.forEach(function (node) { node.classList.add(name); });
    return this;
  };
  function $(target) {
    if (typeof target === "function") {
      if (doc.readyState !== "loading") { target(); } else { doc.addEventListener("DOMContentLoaded", target); }
      return null;
    }
    if (typeof target === "string") { return new Q(Array.prototype.slice.call(doc.querySelectorAll(target))); }
    return new Q([target]);
  }
  win.$ = $;
})(window, document);

$(function () {
  /* list rows: open the article named by data-url */
  $(document).on("click", "a[data-url]", function () {
    window.location.href = this.getAttribute("data-url");
  });
  /* current menu item */
  $(".menu a[href='" + location.pathname + "']").addClass("on");
});
