-- Sets the request headers of every wrk request from the environment:
--   BENCH_AUTHORIZATION  the whole Authorization value ("Basic …", "Bearer …"); none when empty
--   BENCH_ACCEPT         the Accept value (manifest media types); none when empty
local authorization = os.getenv("BENCH_AUTHORIZATION")
local accept = os.getenv("BENCH_ACCEPT")
if authorization ~= nil and authorization ~= "" then
  wrk.headers["Authorization"] = authorization
end
if accept ~= nil and accept ~= "" then
  wrk.headers["Accept"] = accept
end
