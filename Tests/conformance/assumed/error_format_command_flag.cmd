# exit: 1
# assumes: same format as for files, path <command>, columns 1-based
$container = 1; echo $contianer
