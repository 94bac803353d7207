-- Check-ins: each request scans a different ticket, taken from a slice of a file of prepared
-- requests (one per line: the Authorization header, a tab, the JSON body).
--   wrk ... -s checkin.lua URL -- METHOD PATH FILE FIRST LAST THREADS
-- Lines FIRST..LAST (1-based) belong to this wrk run; thread k of THREADS takes every THREADS-th
-- line from FIRST + k, so no ticket is scanned twice. A thread that runs out of lines says so at
-- the end: wrap-around scans would be refused as already used, and the run would not measure
-- check-ins any more.

local threads = {}
function setup(thread)
  thread:set("offset", #threads)
  threads[#threads + 1] = thread
end

local method, path, lines, index = "POST", "/", {}, 0
exhausted = 0  -- a global, so that done() can read it from each thread

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
  for _, thread in ipairs(threads) do
    if thread:get("exhausted") > 0 then
      io.write("tickets exhausted\n")
      return
    end
  end
end
