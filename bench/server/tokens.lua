-- wrk script: GET /auth/me with the tokens of $TOKENS (one a line) in turn,
-- each wrk thread starting at its own offset.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local next_id = 0
function setup(thread)
  thread:set("offset", next_id * math.floor(#tokens / 2))
  next_id = next_id + 1
end
local i = nil
function request()
  i = ((i or offset) % #tokens) + 1
  return wrk.format("GET", "/auth/me", { ["Authorization"] = "Bearer " .. tokens[i] })
end
