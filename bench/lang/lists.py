# Inside a function so CPython uses its fast local-variable paths (the fair comparison).
def main():
    xs = []
    for i in range(1000000):
        xs.append(i * 2)
    total = 0
    for x in xs:
        total += x
    print(len(xs), total)


main()
