#!/bin/sh
echo "hello from script: $*"
