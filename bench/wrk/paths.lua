-- Requests a path picked at random from a file, one per line (BENCH_PATHS), so a run spreads over
-- many manifests instead of answering one from a cache. The request headers come from the
-- command line (-H).
local file = os.getenv("BENCH_PATHS")
local paths = {}
for line in io.lines(file) do
  if line ~= "" then paths[#paths + 1] = line end
end
assert(#paths > 0, "BENCH_PATHS holds no paths: " .. tostring(file))
math.randomseed(os.time())

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
