(function () {
  // A queue's buttons send the row's decision once (the idempotency key makes a retried click one review).
  function wire(id, request, outcome) {
    var table = document.getElementById(id);
    table.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-decision]');
      if (!button) { return; }
      var row = button.closest('tr'), decision = button.dataset.decision, sent = request(row, decision);
      row.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
      fetch(sent.url, { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': sent.key + '-' + decision },
        body: JSON.stringify(sent.body) })
        .then(function (response) { return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, json: json }; }); })
        .then(function (result) {
          var cell = row.lastElementChild;
          if (result.status === 200) {
            var state = outcome(result.json);
            cell.textContent = state === 'rejected' ? table.dataset.rejected : table.dataset.approved;
            cell.className = 'outcome ' + state;
          } else {
            cell.textContent = table.dataset.failed + ': ' + ((result.json.error && result.json.error.message) || ('HTTP ' + result.status));
          }
        });
    });
  }
  wire('review-queue', function (row, decision) {
    var id = row.dataset.payout;
    return { url: '/api/v1/payouts/' + encodeURIComponent(id) + '/review', key: 'review-' + id, body: { decision: decision } };
  }, function (json) { return json.status; });
  wire('receipt-queue', function (row, decision) {
    var batch = Number(row.dataset.batch), number = Number(row.dataset.case);
    return { url: '/api/v1/receipts/review', key: 'receipt-' + batch + '-' + number, body: { batchID: batch, caseNumber: number, decision: decision } };
  }, function (json) { return json.review; });
})();