#!/bin/sh
# The application's test, run inside the built image: exits non-zero when the greeting is wrong.
out=$(sh /app/greet.sh)
case "$out" in
    "hello from app "*) echo "1 passed, 0 failed"; exit 0 ;;
    *) echo "1 passed, 1 failed: got '$out'"; exit 1 ;;
esac
