(function () {
  var list = document.getElementById('tasks');
  function send(method, url, body, type, key) {
    var headers = { 'Idempotency-Key': key };
    if (type) { headers['Content-Type'] = type; }
    return fetch(url, { method: method, credentials: 'same-origin', headers: headers, body: body })
      .then(function (r) { return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, json: j }; }); });
  }
  function show(item, result) {
    var p = item.querySelector('.outcome');
    p.textContent = result.status < 300 ? list.dataset.done : list.dataset.failed + ': ' + ((result.json.error && result.json.error.message) || ('HTTP ' + result.status));
    p.className = 'outcome ' + (result.status < 300 ? 'ok' : 'bad');
  }
  list.addEventListener('submit', function (event) {
    event.preventDefault();
    var form = event.target, item = form.closest('li');
    var alertID = Number(item.dataset.alert), storeID = Number(item.dataset.store);
    if (form.classList.contains('resolve')) {
      var body = JSON.stringify({ reason: form.reason.value, note: form.note.value || null });
      send('POST', '/api/v1/store-alerts/' + alertID + '/resolve', body, 'application/json', 'resolve-' + alertID).then(function (r) { show(item, r); });
      return;
    }
    var counts = [];
    form.querySelectorAll('input[name=units]').forEach(function (input) {
      if (input.value === '') { return; }
      var facings = form.querySelector('input[name=facings][data-product="' + input.dataset.product + '"]');
      counts.push({ productID: Number(input.dataset.product), units: Number(input.value), facings: facings && facings.value !== '' ? Number(facings.value) : null });
    });
    navigator.geolocation.getCurrentPosition(function (position) {
      var visit = { storeID: storeID, alertID: alertID, latitude: position.coords.latitude, longitude: position.coords.longitude,
                    notes: form.notes.value || null, counts: counts };
      send('POST', '/api/v1/visits', JSON.stringify(visit), 'application/json', 'visit-' + alertID + '-' + Date.now()).then(function (r) {
        var file = form.photo.files[0];
        if (r.status !== 201 || !file) { show(item, r); return; }
        send('POST', '/api/v1/visits/' + r.json.id + '/photos', file, file.type, 'photo-' + r.json.id).then(function (p) { show(item, p); });
      });
    }, function (error) { show(item, { status: 0, json: { error: { message: error.message } } }); }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();