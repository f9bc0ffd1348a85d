local words = {"alpha", "beta", "gamma", "delta"}
local n = 0
for i = 0, 199999 do
  local w = words[i % 4 + 1]
  n = n + #string.upper(w)
  if string.sub(w, 1, 1) == "g" then n = n + 1 end
end
print(n)
