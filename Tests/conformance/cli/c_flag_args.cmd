# args: x y
echo $args
