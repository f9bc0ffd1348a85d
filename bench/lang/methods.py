# Inside a function so CPython uses its fast local-variable paths (the fair comparison).
def main():
    words = ["alpha", "beta", "gamma", "delta"]
    n = 0
    for i in range(200000):
        w = words[i % 4]
        n += len(w.upper())
        if w.startswith("g"):
            n += 1
    print(n)


main()
