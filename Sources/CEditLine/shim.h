// CEditLine: libedit's headers for Swift. The prompt layer owns the C shim.
#include <histedit.h>
