# Inside a function so CPython uses its fast local-variable paths (the fair comparison).
def main():
    m = {}
    for i in range(200000):
        m[f"k{i}"] = i
    hits = 0
    for i in range(400000):
        k = f"k{i}"
        if k in m:
            hits += m[k]
    print(len(m), hits)


main()
