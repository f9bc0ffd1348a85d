local function make_adder(n)
  return function(x) return x + n end
end
local add3 = make_adder(3)
local acc = 0
for i = 0, 999999 do acc = add3(acc) end
print(acc)
