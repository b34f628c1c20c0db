-- wrk script: a signed-in citizen rating measures in turn (POST /massnahmen/{slug}/bewertung),
-- each request a new value for its measure, so nearly every request is a real write (the rating,
-- the totals row, the cache event, in one transaction) answered with a redirect. Cookie, CSRF
-- token and slugs come from bench/run.sh. The two wrk threads start half a round apart.
local csrf = os.getenv("BENCH_CSRF")
local slugs = {}
for s in string.gmatch(os.getenv("BENCH_SLUGS"), "[^ ]+") do
  table.insert(slugs, s)
end
local threads = 0
setup = function(thread)
  thread:set("offset", threads * math.floor(#slugs / 2))
  threads = threads + 1
end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")

request = function()
  local i = n + (offset or 0)
  n = n + 1
  local slug = slugs[(i % #slugs) + 1]
  local value = (math.floor(i / #slugs) % 5) + 1
  return wrk.format(nil, "/massnahmen/" .. slug .. "/bewertung", nil, "csrf=" .. csrf .. "&value=" .. value)
end
