(function () {
  function fileParam() {
    var m = /[?&]file=([^&#]*)/.exec(location.search);
    return m ? decodeURIComponent(m[1]) : '';
  }
  window.addEventListener('DOMContentLoaded', function () {
    var file = fileParam();
    if (!file) { return; }
    document.getElementById('docTitle').textContent = file.split('/').pop();
    document.getElementById('download').href = file;
    var xhr = new XMLHttpRequest();
    xhr.open('GET', file, true);
    xhr.responseType = 'blob';
    xhr.onload = function () {
      if (xhr.status !== 200) { return; }
      var obj = document.createElement('object');
      obj.type = 'application/pdf';
      obj.data = URL.createObjectURL(xhr.response);
      obj.width = '100%';
      obj.height = '760';
      document.getElementById('viewerContainer').appendChild(obj);
    };
    xhr.send();
  });
})();
