-- wrk script for `python -m benchtools e2e`: sends the headers given in DRF_AUTH_BENCH_WRK_HEADERS
-- (one "Name: value" per line; the environment keeps credentials off the command line), counts
-- every response's status code in each thread, and prints one line: E2E-RESULT followed by JSON.

for line in (os.getenv("DRF_AUTH_BENCH_WRK_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[#counts + 1] = string.format('"%d": %d', status, count)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'E2E-RESULT {"duration_us": %d, "responses": %d, "statuses": [{%s}], "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.duration, summary.requests, table.concat(counts, "}, {"), errors.connect, errors.read,
    errors.write, errors.timeout, latency:percentile(50), latency:percentile(99)))
end
