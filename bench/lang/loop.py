# Inside a function so CPython uses its fast local-variable paths (the fair comparison).
def main():
    i = 0
    s = 0
    while i < 5000000:
        s += i % 7
        i += 1
    print(s)


main()
