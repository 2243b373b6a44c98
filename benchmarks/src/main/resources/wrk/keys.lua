-- Every request presents a key picked at random from the file named after "--" (one key per
-- line), so that a run touches every cached key in no order (HttpBenchmark scale).
local keys = {}

function init(args)
  for line in io.lines(args[1]) do
    keys[#keys + 1] = line
  end
  math.randomseed(42)
end

function request()
  return wrk.format(nil, nil, { ["X-API-Key"] = keys[math.random(#keys)] })
end
