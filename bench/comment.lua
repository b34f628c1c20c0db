-- wrk script: a signed-in citizen posting comments (POST /massnahmen/{slug}/kommentare) on the
-- measures in turn, each a new text: every request is a real write (the rate-limit buckets, the
-- comment, the discussion's count, the cache event, in one transaction, committed before the
-- answer, a redirect). Cookie, CSRF token and slugs come from bench/run.sh.
local csrf = os.getenv("BENCH_CSRF")
local slugs = {}
for s in string.gmatch(os.getenv("BENCH_SLUGS"), "[^ ]+") do
  table.insert(slugs, s)
end
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")

request = function()
  n = n + 1
  local slug = slugs[((n + (id or 0) * 7) % #slugs) + 1]
  local body = "csrf=" .. csrf .. "&body=Benchmark-Kommentar+" .. (id or 0) .. "-" .. n
  return wrk.format(nil, "/massnahmen/" .. slug .. "/kommentare", nil, body)
end
