-- A signed-in page: every request carries the session cookie of one person (an admin).
--   wrk ... -s page.lua URL -- METHOD PATH COOKIE
local method, path, cookie = "GET", "/", ""

function init(args)
  method, path, cookie = args[1] or method, args[2] or path, args[3] or cookie
end

function request()
  return wrk.format(method, path, { ["Cookie"] = cookie })
end
