-- POSTs consumer scans of genuine unit codes (one per line in SCAN_CODES), each code in turn,
-- at SCAN_LAT/SCAN_LON (default Beijing) from one of 5,000 device ids; then prints the JSON summary.
local codes = {}
for line in io.lines(os.getenv("SCAN_CODES")) do
  if #line > 0 then codes[#codes + 1] = line end
end
local position = '"latitude":' .. (os.getenv("SCAN_LAT") or "39.95") .. ',"longitude":' .. (os.getenv("SCAN_LON") or "116.48")
local counter = 0
local headers = { ["Content-Type"] = "application/json" }

request = function()
  counter = counter + 1
  local code = codes[(counter % #codes) + 1]
  local body = '{"code":"' .. code .. '",' .. position .. ',"deviceID":"bench-' .. (counter % 5000) .. '"}'
  return wrk.format("POST", "/api/v1/scans", headers, body)
end

response = function(status, headers, body)
  if status ~= 200 then
    bad = (bad or 0) + 1
    if bad <= 3 then io.stderr:write("scan answered " .. status .. ": " .. body .. "\n") end
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests":%d,"seconds":%.2f,"rps":%.0f,"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"errors":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
