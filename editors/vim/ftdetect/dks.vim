" dks: the container scripting shell. Files ending in .dks, and scripts whose first line runs dks.
autocmd BufNewFile,BufRead *.dks setfiletype dks
autocmd BufNewFile,BufRead * if getline(1) =~# '^#!.*\<dks\>' | setfiletype dks | endif
