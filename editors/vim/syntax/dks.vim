" Vim syntax file
" Language:    dks (the container scripting shell)
" Filenames:   *.dks
" Maintainer:  the dks project (editors/vim in the repository)

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn iskeyword @,48-57,_,-

" Comments: '#' at the start of a word, to the end of the line.
syn match   dksShebang      "\%^#!.*$"
syn match   dksComment      "\%(^\|[[:space:];{}()\[\],]\)\zs#.*$" contains=dksTodo,@Spell
syn keyword dksTodo         contained TODO FIXME XXX NOTE

" Keywords.
syn keyword dksConditional  if elif else
syn keyword dksRepeat       while for in
syn keyword dksStatement    return break continue defer
syn keyword dksException    try catch finally throw
syn keyword dksOperator     and or not
syn keyword dksBoolean      true false
syn keyword dksNull         null
syn keyword dksFn           fn nextgroup=dksFunctionName skipwhite
syn match   dksFunctionName "[A-Za-z_][A-Za-z0-9_-]*" contained

" Commands: a bare name where a statement (or the right side of =, return, throw) starts.
syn match   dksCommand      "\%(^\|[;{(|=]\)\s*\zs\%(\<\%(if\|elif\|else\|while\|for\|in\|fn\|return\|break\|continue\|try\|catch\|finally\|throw\|defer\|and\|or\|not\|true\|false\|null\)\>\)\@![A-Za-z_][A-Za-z0-9_-]*\%([A-Za-z0-9_(.:\[-]\)\@!"
syn match   dksCommand      "\%(\<\%(return\|throw\)\s\+\)\@<=\%(\<\%(if\|fn\|not\|true\|false\|null\)\>\)\@![A-Za-z_][A-Za-z0-9_-]*\%([A-Za-z0-9_(.:\[-]\)\@!"
syn match   dksHostProgram  "\^[^[:space:];|)}<>\"'$(]\+"
syn match   dksCall         "\<[A-Za-z_][A-Za-z0-9_-]*\ze("

" Options, pipes and redirections.
syn match   dksOption       "\%(\s\)\@<=--\?[A-Za-z][A-Za-z0-9_-]*=\?"
syn match   dksPipe         "|"
syn match   dksRedirection  "\%(\s\|^\)\@<=\%(2>&1\|1>&2\|>&2\|&>>\|&>\|2>>\|2>\|1>>\|1>\|>>\|>\|<\)"

" Variables with their attached member chain.
syn match   dksVariable     "\$[A-Za-z_][A-Za-z0-9_]*\%(\.[A-Za-z_][A-Za-z0-9_]*\)*"

" Numbers: 42, 1_000, 0x1f, 0o17, 0b101, 3.14, 1e9.
syn match   dksNumber       "\<\%(0[xX][0-9a-fA-F_]\+\|0[oO][0-7_]\+\|0[bB][01_]\+\|[0-9][0-9_]*\%(\.[0-9][0-9_]*\)\=\%([eE][+-]\=[0-9]\+\)\=\)\>"

" Strings: double-quoted with escapes and interpolation, single-quoted raw.
syn region  dksString       start=+"+ skip=+\\\\\|\\"+ end=+"+ contains=dksEscape,dksInterpolation,dksInterpVariable,@Spell
syn region  dksRawString    start=+'+ end=+'+ contains=@Spell
syn match   dksEscape       contained "\\\%([ntr0\\\"$']\|u{[0-9a-fA-F]\{1,8}}\|$\)"
syn match   dksInterpVariable contained "\$[A-Za-z_][A-Za-z0-9_]*\%(\.[A-Za-z_][A-Za-z0-9_]*\)*"
syn region  dksInterpolation contained matchgroup=dksInterpDelim start="\${" end="}" contains=TOP

syn match   dksContinuation "\\$"

hi def link dksShebang        PreProc
hi def link dksComment        Comment
hi def link dksTodo           Todo
hi def link dksConditional    Conditional
hi def link dksRepeat         Repeat
hi def link dksStatement      Statement
hi def link dksException      Exception
hi def link dksOperator       Operator
hi def link dksBoolean        Boolean
hi def link dksNull           Constant
hi def link dksFn             Keyword
hi def link dksFunctionName   Function
hi def link dksCommand        Function
hi def link dksHostProgram    Function
hi def link dksCall           Function
hi def link dksOption         Identifier
hi def link dksPipe           Operator
hi def link dksRedirection    Operator
hi def link dksVariable       Identifier
hi def link dksNumber         Number
hi def link dksString         String
hi def link dksRawString      String
hi def link dksEscape         SpecialChar
hi def link dksInterpVariable Identifier
hi def link dksInterpDelim    Delimiter
hi def link dksContinuation   SpecialChar

let b:current_syntax = 'dks'

let &cpo = s:cpo_save
unlet s:cpo_save
