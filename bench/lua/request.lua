-- One request per call, rotating among bearer tokens read from a file (one per line), so the
-- load touches many different residents' rows instead of one cached row.
--   wrk ... -s request.lua URL -- METHOD PATH [TOKENS_FILE]
-- Each wrk thread starts at a different place in the list.

local counter = 0
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end

local method, path, tokens, index = "GET", "/", {}, 0

function init(args)
  method = args[1] or method
  path = args[2] or path
  if args[3] then
    for line in io.lines(args[3]) do
      if #line > 0 then tokens[#tokens + 1] = "Bearer " .. line end
    end
  end
  if #tokens > 0 then
    index = ((offset or 0) * 7919) % #tokens
  end
end

function request()
  if #tokens == 0 then
    return wrk.format(method, path)
  end
  index = index % #tokens + 1
  return wrk.format(method, path, { ["Authorization"] = tokens[index] })
end
