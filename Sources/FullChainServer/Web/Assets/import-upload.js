(function () {
  var form = document.getElementById('upload-form');
  var status = document.getElementById('upload-status');
  var button = form.querySelector('button');
  function show(kind, text) { status.className = 'alert ' + kind; status.textContent = text; }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = form.elements.file.files[0];
    if (!file) { show('bad', form.dataset.choose); return; }
    button.disabled = true;
    show('info', form.dataset.uploading);
    var url = '/api/v1/imports/' + encodeURIComponent(form.elements.kind.value) +
      '?fileName=' + encodeURIComponent(file.name) + '&keepGood=' + (form.elements.keepGood.checked ? 'true' : 'false');
    fetch(url, { method: 'POST', body: file, credentials: 'same-origin', headers: { 'Content-Type': 'application/octet-stream' } })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) { return { status: response.status, body: body || {} }; });
      })
      .then(function (result) {
        var error = result.body.error;
        var runID = result.body.runID || (error && error.details && error.details.runID);
        if (runID) { window.location.href = '/imports/' + encodeURIComponent(runID); return; }
        show('bad', form.dataset.failed + ((error && error.message) || ('HTTP ' + result.status)));
        button.disabled = false;
      })
      .catch(function (failure) { show('bad', form.dataset.failed + failure); button.disabled = false; });
  });
})();