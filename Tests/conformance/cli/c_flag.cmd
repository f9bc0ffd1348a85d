echo "from -c"; echo (1 + 1)
