/* pdf.js viewer (trimmed build): opens the document named by ?file= */
(function () {
  'use strict';
  var DEFAULT_URL = 'compressed.tracemonkey-pldi-09.pdf';
  function getFile() {
    var params = new URLSearchParams(document.location.search.substring(1));
    return params.has('file') ? params.get('file') : DEFAULT_URL;
  }
  var PDFViewerApplication = {
    url: '',
    open: function (file) {
      this.url = file;
      document.getElementById('title').textContent = decodeURIComponent(file.split('/').pop());
      var viewer = document.getElementById('viewer');
      return fetch(file).then(function (r) {
        if (!r.ok) { throw new Error('Missing PDF ' + file); }
        return r.blob();
      }).then(function (blob) {
        var embed = document.createElement('embed');
        embed.type = 'application/pdf';
        embed.src = URL.createObjectURL(blob);
        embed.style.width = '100%';
        embed.style.height = '100%';
        viewer.appendChild(embed);
      }).catch(function (e) {
        document.getElementById('errorWrapper').hidden = false;
        document.getElementById('errorMessage').textContent = e.message;
      });
    }
  };
  window.PDFViewerApplication = PDFViewerApplication;
  document.addEventListener('DOMContentLoaded', function () {
    var file = getFile();
    document.getElementById('download').onclick = function () { window.location.href = file; };
    PDFViewerApplication.open(file);
  });
})();
