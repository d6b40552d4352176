-- Prints one JSON line with throughput and latency percentiles (milliseconds) when wrk finishes.
-- Optional: WRK_PATHS (a file with one request path per line) rotates over many URLs;
-- WRK_HEADER ("Name: value") adds a header to every request;
-- SCAN_CODES (a file with one code per line) POSTs consumer scans of each code in turn, at
-- SCAN_LAT/SCAN_LON (default Beijing) from one of 5,000 device ids (SCAN_PATH and SCAN_COOKIE below). Refused scans count as errors;
-- SCAN_DEBUG=1 also prints the first three refusals (a response callback costs the client, which
-- shares the machine's cores with the server, so it is off while measuring).
local paths = {}
local codes = {}
local counter = 0

local header = os.getenv("WRK_HEADER")
if header then
  local name, value = header:match("^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

local file = os.getenv("WRK_PATHS")
if file then
  for line in io.lines(file) do
    if #line > 0 then table.insert(paths, line) end
  end
end

local scanCodes = os.getenv("SCAN_CODES")
if scanCodes then
  for line in io.lines(scanCodes) do
    if #line > 0 then table.insert(codes, line) end
  end
end
local position = '"latitude":' .. (os.getenv("SCAN_LAT") or "39.95") .. ',"longitude":' .. (os.getenv("SCAN_LON") or "116.48")
local scanHeaders = { ["Content-Type"] = "application/json" }
-- SCAN_COOKIE: scans from a signed-in consumer (the session cookie, sent from the brand's page).
local scanCookie = os.getenv("SCAN_COOKIE")
if scanCookie then
  scanHeaders["Cookie"] = scanCookie
  scanHeaders["Sec-Fetch-Site"] = "same-origin"
end
-- SCAN_OPENID: the body also names an openid (asserted, as clients did before sign-in existed).
local assertedOpenid = os.getenv("SCAN_OPENID") and (',"openid":"' .. os.getenv("SCAN_OPENID") .. '"') or ""
-- SCAN_PATH: where the scans go (the yardstick's /echo takes the same bodies).
local scanPath = os.getenv("SCAN_PATH") or "/api/v1/scans"

-- The scan requests are built once, before the run: the client shares the machine's cores with
-- the server under test, and a body built in Lua on every request took a good part of them.
-- (In init: wrk has set the Host header by then.)
local scans = {}
init = function(args)
  for index, code in ipairs(codes) do
    local body = '{"code":"' .. code .. '",' .. position .. ',"deviceID":"bench-' .. (index % 5000) .. '"' .. assertedOpenid .. '}'
    scans[index] = wrk.format("POST", scanPath, scanHeaders, body)
  end
end

request = function()
  counter = counter + 1
  if #scans > 0 then return scans[(counter % #scans) + 1] end
  if #paths == 0 then return wrk.format(nil) end
  return wrk.format(nil, paths[(counter % #paths) + 1])
end

if scanCodes and os.getenv("SCAN_DEBUG") == "1" then
  local refused = 0
  response = function(status, headers, body)
    if status ~= 200 then
      refused = refused + 1
      if refused <= 3 then io.stderr:write("scan answered " .. status .. ": " .. body .. "\n") end
    end
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
