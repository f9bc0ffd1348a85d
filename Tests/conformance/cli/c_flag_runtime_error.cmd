# exit: 1
echo "before"; $x = 1 // 0; echo "after"
