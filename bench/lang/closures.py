# Inside a function so CPython uses its fast local-variable paths (the fair comparison).
def main():
    def make_adder(n):
        def add(x):
            return x + n
        return add
    add3 = make_adder(3)
    acc = 0
    for i in range(1000000):
        acc = add3(acc)
    print(acc)


main()
