-- wrk script: an editor saving the strategy form again and again, each time with a different
-- vision text, so every request is a real write (read, update, audit entry, cache generation
-- bump, page rendered). The cookie, CSRF token and form body come from bench/run.sh.
local form = os.getenv("BENCH_FORM")
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")

request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, form .. "+" .. n)
end
