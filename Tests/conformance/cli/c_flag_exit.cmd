# exit: 5
echo "hi"; exit 5
