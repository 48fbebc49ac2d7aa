-- wrk script for bench/leads-search/run: each request takes the next path of the file named by
-- the environment variable BENCH_WRK_PATHS (one path with its query string per line), each
-- thread starting at its own place, so the server answers many different queries rather than one
-- cached one. Headers given with -H (the Bearer token) go with every request. At the end it
-- prints the p50, p95 and p99 latency in microseconds, which wrk's --latency table lacks (p95).
local paths = {}
local position = 0
local threads = 0

function setup(thread)
    thread:set("thread_index", threads)
    threads = threads + 1
end

function init(args)
    local file = os.getenv("BENCH_WRK_PATHS")
    for line in io.lines(file) do
        if line ~= "" then paths[#paths + 1] = line end
    end
    if #paths == 0 then error("no paths in " .. file) end
    position = ((thread_index or 0) * 7919) % #paths
end

function request()
    position = position % #paths + 1
    return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
    io.write(string.format("Percentiles (us): p50 %d p95 %d p99 %d\n",
        latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
