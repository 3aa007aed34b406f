-- Registration POSTs for wrk: one thread per client, each with the CSRF cookie and token
-- it got from its own GET of the form (file BENCH_TOKENS, "cookie token" per line), a
-- new address and submission token per request. Counts 303 (registered), 409 (full)
-- and everything else (errors); done() prints the totals as JSON.
local pairs_list = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
  local cookie, token = line:match("(%S+) (%S+)")
  table.insert(pairs_list, {cookie, token})
end
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  local pair = pairs_list[((next_id - 1) % #pairs_list) + 1]
  thread:set("id", next_id)
  thread:set("cookie", pair[1])
  thread:set("token", pair[2])
  table.insert(threads, thread)
end

n, registered, full, errors = 0, 0, 0, 0

function init(args)
  math.randomseed(id * 7919 + os.time())
end

local function uuid()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (template:gsub("[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  n = n + 1
  local body = "csrfmiddlewaretoken=" .. token
    .. "&name=Bench+Registrant"
    .. "&email=bench-" .. id .. "-" .. n .. "-" .. math.random(1, 1000000000) .. "%40example.org"
    .. "&consent=on&submission_token=" .. uuid()
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
  }, body)
end

function response(status, headers, body)
  if status == 303 then
    registered = registered + 1
  elseif status == 409 then
    full = full + 1
  else
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local r, f, e = 0, 0, 0
  for _, thread in ipairs(threads) do
    r = r + thread:get("registered")
    f = f + thread:get("full")
    e = e + thread:get("errors")
  end
  io.write(string.format('BENCH_COUNTS {"registered": %d, "full": %d, "errors": %d}\n', r, f, e))
end
