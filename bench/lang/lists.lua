local xs = {}
for i = 0, 999999 do xs[#xs + 1] = i * 2 end
local total = 0
for _, x in ipairs(xs) do total = total + x end
print(#xs .. " " .. total)
