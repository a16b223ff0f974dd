/* PDF.js viewer (trimmed): opens the file named by ?file= (default: none). */
(function () {
  "use strict";
  function queryFile() {
    var m = /[?&]file=([^&#]*)/.exec(window.location.search);
    return m ? decodeURIComponent(m[1]) : "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var file = queryFile();
    var viewer = document.getElementById("viewer");
    if (!file) {
      document.getElementById("errorWrapper").hidden = false;
      document.getElementById("errorMessage").textContent = "未指定PDF文件";
      return;
    }
    document.getElementById("download").addEventListener("click", function () {
      window.location.href = file;
    });
    document.getElementById("print").addEventListener("click", function () { window.print(); });
    pdfjsLib.getDocument(file).promise.then(function (pdf) {
      document.getElementById("numPages").textContent = "/ " + pdf.numPages;
      for (var n = 1; n <= pdf.numPages; n++) {
        var page = document.createElement("div");
        page.className = "page";
        page.setAttribute("data-page-number", n);
        viewer.appendChild(page);
      }
      viewer.setAttribute("data-loaded", "true");
    }, function (err) {
      document.getElementById("errorWrapper").hidden = false;
      document.getElementById("errorMessage").textContent = "PDF 加载失败：" + err.message;
    });
  });
})();
