-- Attack traffic for Keygate's HTTP benchmarks (see AttackScript.java, which fills in the
-- settings below). Each request carries a fresh key of the chosen kind; responses are counted by
-- status and printed as "STATUS <code> <count>" lines when wrk is done.
local MODE = "@MODE@"        -- valid | revoked | badchecksum | unknown | wrongsecret | wrongsecretmany
local KEY = "@KEY@"          -- the fixed key (valid, revoked)
local KEY_ID = "@KEY_ID@"    -- the known id (wrongsecret)
local KEY_IDS = "@KEY_IDS@"  -- comma-separated ids, one picked at random per request (wrongsecretmany)
local XFF = "@XFF@"          -- "" | an address | "random"
local DELAY_MS = @DELAY_MS@  -- pause per connection between requests; 0 = as fast as answered
local PREFIX = "kg_live_"
local ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

local IDS = {}
for id in string.gmatch(KEY_IDS, "[^,]+") do
  table.insert(IDS, id)
end

local bit = require("bit")
local CRC_TABLE = {}
for i = 0, 255 do
  local c = i
  for _ = 1, 8 do
    if bit.band(c, 1) ~= 0 then
      c = bit.bxor(bit.rshift(c, 1), 0xEDB88320)
    else
      c = bit.rshift(c, 1)
    end
  end
  CRC_TABLE[i] = c
end

local function crc32(s)
  local crc = bit.bnot(0)
  for i = 1, #s do
    crc = bit.bxor(bit.rshift(crc, 8), CRC_TABLE[bit.band(bit.bxor(crc, s:byte(i)), 0xFF)])
  end
  crc = bit.bnot(crc)
  if crc < 0 then
    crc = crc + 4294967296
  end
  return crc
end

local function random_base62(n)
  local out = {}
  for i = 1, n do
    local r = math.random(1, 62)
    out[i] = ALPHABET:sub(r, r)
  end
  return table.concat(out)
end

-- the same as KeyFormat: CRC32 of everything before the checksum, as 6 base62 digits
local function with_checksum(s)
  local v = crc32(s)
  local digits = {}
  for i = 6, 1, -1 do
    local d = v % 62
    digits[i] = ALPHABET:sub(d + 1, d + 1)
    v = math.floor(v / 62)
  end
  return s .. table.concat(digits)
end

local function next_key()
  if MODE == "badchecksum" then
    return PREFIX .. random_base62(50)
  elseif MODE == "unknown" then
    return with_checksum(PREFIX .. random_base62(44))
  elseif MODE == "wrongsecret" then
    return with_checksum(PREFIX .. KEY_ID .. random_base62(32))
  elseif MODE == "wrongsecretmany" then
    return with_checksum(PREFIX .. IDS[math.random(1, #IDS)] .. random_base62(32))
  end
  return KEY
end

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

counts = {}

function init(args)
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end

function request()
  local headers = { ["X-API-Key"] = next_key() }
  if XFF == "random" then
    headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255),
      math.random(0, 255), math.random(1, 254))
  elseif XFF ~= "" then
    headers["X-Forwarded-For"] = XFF
  end
  return wrk.format("GET", nil, headers)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

if DELAY_MS > 0 then
  function delay()
    return DELAY_MS
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("STATUS %d %d\n", status, n))
  end
end
