(function () {
  // The store's and the distributor's phone pages: read a code with the camera (BarcodeDetector)
  // or take it typed, post it to the API, and say the outcome in the page's language.
  var desk = document.getElementById('desk');
  function say(code) {
    return desk.getAttribute('data-error-' + code.replace(/_/g, '-')) || desk.getAttribute('data-error-failed');
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) { return values[name] !== undefined ? String(values[name]) : whole; });
  }
  function key(kind) {
    return kind + '-' + Date.now() + '-' + Math.random().toString(36).slice(2);
  }
  document.querySelectorAll('form.desk-form').forEach(function (form) {
    var input = form.querySelector('input[name=code]');
    var outcome = form.querySelector('.outcome');
    var camera = form.querySelector('.camera');
    var video = form.querySelector('video');
    if ('BarcodeDetector' in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) { camera.hidden = false; }
    camera.addEventListener('click', function () {
      var detector = new window.BarcodeDetector({ formats: ['qr_code', 'data_matrix', 'code_128'] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var timer = setInterval(function () {
          detector.detect(video).then(function (found) {
            if (!found.length) { return; }
            clearInterval(timer);
            stream.getTracks().forEach(function (track) { track.stop(); });
            video.hidden = true;
            input.value = found[0].rawValue;
            form.requestSubmit();
          }).catch(function () {});
        }, 300);
      }).catch(function () {
        outcome.textContent = say('camera_off');
        outcome.className = 'outcome bad';
      });
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var code = input.value.trim();
      if (!code) { return; }
      var kind = form.dataset.kind;
      var body = kind === 'voucher' ? { storeID: Number(desk.dataset.store), code: code }
        : { storeID: Number(kind === 'deliver' ? form.elements.store.value : desk.dataset.store), cases: [code] };
      outcome.textContent = '';
      fetch(form.dataset.endpoint, {
        method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key(kind) }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, json: json }; });
      }).then(function (result) {
        if (result.status < 300) {
          var template = kind === 'receive' ? desk.dataset.received : kind === 'voucher' ? desk.dataset.redeemed : desk.dataset.delivered;
          outcome.textContent = fill(template, result.json);
          outcome.className = 'outcome ok';
          input.value = '';
        } else {
          var error = (result.json.error && result.json.error.code) || (result.status === 404 ? 'not_found' : result.status === 403 ? 'forbidden' : 'failed');
          // A refused case says why in its field: not in the caller's hands, or voided.
          var details = result.json.error && result.json.error.details;
          var fields = details && (details.fields || details);
          if (error === 'validation_failed' && fields && fields.length && fields[0].code) { error = fields[0].code; }
          outcome.textContent = say(error);
          outcome.className = 'outcome bad';
        }
      }).catch(function () {
        outcome.textContent = say('failed');
        outcome.className = 'outcome bad';
      });
    });
  });
})();
