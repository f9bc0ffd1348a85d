local m, n = {}, 0
for i = 0, 199999 do m["k" .. i] = i; n = n + 1 end
local hits = 0
for i = 0, 399999 do
  local v = m["k" .. i]
  if v ~= nil then hits = hits + v end
end
print(n .. " " .. hits)
