-- wrk script: the list of offers searched with ever other filters, each address asked once. The
-- addresses come from the file BENCH_URLS (one path a line, bench/offer_urls.py); thread k of
-- BENCH_URLS_STRIDE takes lines START+k, START+k+STRIDE, … (START = BENCH_URLS_START), so no
-- two requests of a run ask the same address and the page cache misses every time until the
-- list runs out (then it starts again from its first line).
local urls = {}
for line in io.lines(os.getenv("BENCH_URLS")) do
  if #line > 0 then
    table.insert(urls, line)
  end
end
local start = tonumber(os.getenv("BENCH_URLS_START") or "0")
local stride = tonumber(os.getenv("BENCH_URLS_STRIDE") or "1")
local threads = 0
setup = function(thread)
  thread:set("k", threads)
  threads = threads + 1
end
local n = 0

request = function()
  local i = (start + (k or 0) + n * stride) % #urls
  n = n + 1
  return wrk.format("GET", urls[i + 1])
end
