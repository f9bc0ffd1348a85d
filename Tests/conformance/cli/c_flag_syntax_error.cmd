# exit: 2
echo "must not run"; $x = [1, 2
