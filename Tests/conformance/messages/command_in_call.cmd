# exit: 2
echo (len(ps -a))
