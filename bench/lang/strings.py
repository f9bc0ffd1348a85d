# Inside a function so CPython uses its fast local-variable paths (the fair comparison).
def main():
    out = ""
    for i in range(300000):
        out += f"item-{i};"
    print(len(out))


main()
