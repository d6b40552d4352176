(function () {
  var form = document.getElementById('campaign-form');
  var status = document.getElementById('campaign-status');
  var button = form.querySelector('button[type=submit]');
  var key = null;
  function fen(value) { return value === '' ? null : Math.round(parseFloat(value) * 100); }
  function int(value) { return value === '' ? null : parseInt(value, 10); }
  function millis(value) { return value === '' ? null : new Date(value).getTime(); }
  function show(kind, text, items) {
    status.className = 'alert ' + kind; status.textContent = text;
    if (items && items.length) { var list = document.createElement('ul'); items.forEach(function (item) { var li = document.createElement('li'); li.textContent = item; list.appendChild(li); }); status.appendChild(list); }
  }
  form.addEventListener('input', function () { key = null; });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var e = form.elements;
    var tiers = [];
    form.querySelectorAll('tr.tier').forEach(function (row) {
      var q = function (name) { return row.querySelector('[name=' + name + ']').value.trim(); };
      if (q('tierName') === '') { return; }
      var tier = { name: q('tierName'), kind: q('tierKind'), probability: q('tierProbability') === '' ? null : parseFloat(q('tierProbability')) / 100 };
      if (q('tierAmount') !== '') { tier.amountFen = fen(q('tierAmount')); }
      if (q('tierPoints') !== '') { tier.points = int(q('tierPoints')); }
      if (q('tierCoupon') !== '') { tier.couponCode = q('tierCoupon'); }
      if (q('tierStock') !== '') { tier.stock = int(q('tierStock')); }
      tiers.push(tier);
    });
    var body = {
      name: e.name.value.trim(), startsAt: millis(e.startsAt.value), endsAt: millis(e.endsAt.value),
      productIDs: Array.prototype.filter.call(form.querySelectorAll('[name=product]'), function (box) { return box.checked; }).map(function (box) { return parseInt(box.value, 10); }),
      regionCodes: e.regionCodes.value.split(/[,，\s]+/).filter(function (code) { return code !== ''; }),
      tiers: tiers, budgetFen: fen(e.budget.value), storeRewardFen: fen(e.storeReward.value), storeBudgetFen: fen(e.storeBudget.value),
      perConsumerPerDay: int(e.perConsumerPerDay.value), perDevicePerDay: int(e.perDevicePerDay.value)
    };
    var fenced = e.storeIDs.value.split(/[,，\s]+/).filter(function (id) { return id !== ''; }).map(function (id) { return parseInt(id, 10); });
    if (fenced.length) { body.storeIDs = fenced; }
    if (e.radiusMeters.value !== '') { body.radiusMeters = int(e.radiusMeters.value); }
    if (e.segmentID.value !== '') { body.segmentID = int(e.segmentID.value); }
    key = key || ('campaign-' + Date.now() + '-' + Math.random().toString(36).slice(2));
    button.disabled = true;
    show('info', form.dataset.saving);
    fetch('/api/v1/campaigns', { method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
                                 headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key } })
      .then(function (response) { return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, json: json }; }); })
      .then(function (result) {
        if (result.status === 201 && result.json.id) { window.location.href = '/campaigns/' + result.json.id; return; }
        var error = result.json.error || {};
        var fields = Array.isArray(error.details) ? error.details : [];
        show('bad', form.dataset.failed + ': ' + (error.message || ('HTTP ' + result.status)) + (fields.length ? ' ' + form.dataset.fix : ''),
             fields.map(function (f) { return f.field + ': ' + f.message; }));
        button.disabled = false;
        key = null;
      })
      .catch(function (failure) { show('bad', form.dataset.failed + ': ' + failure); button.disabled = false; });
  });
})();