#!/bin/sh
# The application: greets, with its version.
echo "hello from app $(cat /app/VERSION)"
