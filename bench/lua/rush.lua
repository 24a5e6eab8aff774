-- wrk script for the sign-up rush: sign-up POSTs, alone or mixed with GETs of the event's page.
-- usage: wrk ... -s rush.lua http://HOST:PORT -- <app> <prefix> <post path> <get path> <every> [<cookie> <token>]
--   <app>      eventapp (the full sign-up form with a CSRF token) or refapp (name and email)
--   <prefix>   makes the addresses unique: must differ between runs against the same database
--   <every>    1: every request is a sign-up POST; 5: one POST in five, the other four GET <get path>;
--              0: GET <get path> only
--   <cookie>, <token>: eventapp's session cookie and the CSRF token of that session (one GET of the
--              sign-up form; the same pair stays valid for every POST, as in one browser tab)
-- The GETs carry no cookie (a visitor reading the page). Prints one RESULT line at the end.
local counter = 0
local nthreads = 0

function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  app, prefix, post_path, get_path = args[1], args[2], args[3], args[4]
  every = tonumber(args[5]) or 1
  cookie, token = args[6], args[7]
  post_headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  if cookie then post_headers["Cookie"] = cookie end
  get_request = wrk.format("GET", get_path)
end

function request()
  counter = counter + 1
  if every == 0 or (every > 1 and counter % every ~= 0) then
    return get_request
  end
  local email = prefix .. "-" .. tostring(tid) .. "-" .. counter .. "%40example.org"
  local body
  if app == "eventapp" then
    body = "csrf_token=" .. urlencode(token) .. "&name=Bench+Person+" .. counter .. "&email=" .. email ..
      "&organisation=Bench+Organisation+" .. counter .. "&organisation_type=municipality&country=NO&accept_privacy=y"
  else
    body = "name=Bench+User&email=" .. email
  end
  return wrk.format("POST", post_path, post_headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
