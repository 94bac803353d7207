-- Check-ins: each request scans a different ticket, taken from a slice of a file of prepared
-- requests (one per line: the Authorization header, a tab, the JSON body).
--   wrk ... -s checkin.lua URL -- METHOD PATH FILE FIRST LAST THREADS DURATION
-- Lines FIRST..LAST (1-based) belong to this wrk run; thread k of THREADS takes every THREADS-th
-- line from FIRST + k, so no ticket is scanned twice.
-- Each thread paces itself so that its lines last DURATION seconds: on a machine faster than the
-- tickets were made for, the run is held to their pace (and says so) rather than running out and
-- scanning used tickets, which would measure refusals. A thread that runs out all the same says so.

local ffi = require("ffi")
ffi.cdef [[
  struct bench_timespec { long tv_sec; long tv_nsec; };
  int clock_gettime(int clock, struct bench_timespec *now);
]]
local CLOCK_MONOTONIC, clock = 1, ffi.new("struct bench_timespec")

local function seconds()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_nsec) * 1e-9
end

local threads = {}
function setup(thread)
  thread:set("offset", #threads)
  threads[#threads + 1] = thread
end

local method, path, lines, index = "POST", "/", {}, 0
local started = nil  -- when the first request was due
-- Globals, so that done() can read them from each thread: requests a second this thread may send,
-- how many it has sent (or scheduled), how often it wrapped around its lines.
pace, sent, exhausted = 1, 0, 0

function init(args)
  method, path = args[1], args[2]
  local first, last, stride = tonumber(args[4]), tonumber(args[5]), tonumber(args[6])
  local n = 0
  for line in io.lines(args[3]) do
    n = n + 1
    if n > last then break end
    if n >= first and (n - first) % stride == offset then
      local tab = line:find("\t", 1, true)
      lines[#lines + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
    end
  end
  -- Request k (from 0) goes out no sooner than k / pace after the first, so #lines last the run:
  -- DURATION, and the up to 100 ms wrk takes to notice its end.
  pace = math.max(#lines - 1, 1) / (tonumber(args[7]) + 0.25)
end

-- wrk calls delay() before every request (the ms to wait), then request().
function delay()
  local now = seconds()
  started = started or now
  sent = sent + 1
  return math.max(0, (started + (sent - 1) / pace - now) * 1000)
end

function request()
  index = index + 1
  if index > #lines then
    exhausted = exhausted + 1
    index = 1
  end
  local line = lines[index]
  return wrk.format(method, path, { ["Authorization"] = line[1], ["Content-Type"] = "application/json" }, line[2])
end

function done(summary, latency, requests)
  local total_sent, most = 0, 0
  for _, thread in ipairs(threads) do
    if thread:get("exhausted") > 0 then
      io.write("tickets exhausted\n")
      return
    end
    total_sent, most = total_sent + thread:get("sent"), most + thread:get("pace") * summary.duration / 1e6
  end
  -- Within a few percent of the most the pace allowed: the pace, not the server, set the rate.
  if total_sent >= 0.95 * most then
    io.write("held to the tickets' pace\n")
  end
end
