// ceditline_shim: non-variadic wrappers around libedit's variadic calls (el_set, el_get,
// history), which Swift cannot call. Owns: nothing but forwarding (and the prompt text buffer).
// Must not: hold editing policy — the Swift prompt layer decides bindings and behaviour.
#ifndef CEDITLINE_SHIM_H
#define CEDITLINE_SHIM_H

#include <stdio.h>

typedef struct editline EditLine;
typedef struct history History;

/// A function bound to a key: returns one of the CC_* codes below.
typedef unsigned char (*dks_el_keyfn)(EditLine *el, int ch);

// libedit's CC_* return codes for bound functions.
enum {
    DKS_CC_NORM = 0, DKS_CC_NEWLINE = 1, DKS_CC_EOF = 2, DKS_CC_ARGHACK = 3, DKS_CC_REFRESH = 4,
    DKS_CC_CURSOR = 5, DKS_CC_ERROR = 6, DKS_CC_FATAL = 7, DKS_CC_REDISPLAY = 8, DKS_CC_REFRESH_BEEP = 9
};

/// el_init on the given streams (the program name selects ~/.editrc sections).
EditLine *dks_el_init(const char *prog, FILE *in, FILE *out, FILE *err);
void dks_el_end(EditLine *el);
/// Sets the text the prompt function returns (copied; at most 255 bytes).
int dks_el_set_prompt(EditLine *el, const char *text);
/// "emacs" or "vi".
int dks_el_set_editor(EditLine *el, const char *mode);
/// Whether libedit installs its own handlers around el_gets (SIGWINCH, SIGTSTP, ...). dks keeps
/// them off: libedit's handler dereferences a global that el_gets clears on return, so a signal
/// taken by another thread at that moment crashes, and it re-sends the signal to the whole group.
int dks_el_set_signal(EditLine *el, int on);
/// Installs a SIGWINCH handler that only records the resize (SA_RESTART: reads go on).
void dks_install_winch_handler(void);
/// Whether a SIGWINCH arrived since the last call (and forgets it).
int dks_take_winch(void);
/// Sets or clears SA_RESTART on the handler installed for `sig` (the handler itself is kept).
int dks_set_restart(int sig, int restart);
/// Registers a named editor function (el_set EL_ADDFN).
int dks_el_addfn(EditLine *el, const char *name, const char *help, dks_el_keyfn fn);
/// Binds a key sequence (e.g. "^I") to a named function (el_set EL_BIND).
int dks_el_bind(EditLine *el, const char *key, const char *fn_name);
/// `setty -d ARG` for the edit-mode terminal settings, e.g. "-isig".
int dks_el_setty_edit(EditLine *el, const char *arg);
/// Attaches a history to the editor (el_set EL_HIST).
int dks_el_set_hist(EditLine *el, History *h);
/// Reads the terminal size from the terminal again.
void dks_el_resize(EditLine *el);
/// Tells the editor it must redraw the prompt and line on its next refresh.
void dks_el_redisplay(EditLine *el);

History *dks_history_init(void);
void dks_history_end(History *h);
int dks_history_setsize(History *h, int size);
/// Ignore an entry equal to the one before it.
int dks_history_setunique(History *h, int on);
int dks_history_enter(History *h, const char *line);
int dks_history_load(History *h, const char *path);
int dks_history_save(History *h, const char *path);
/// The number of entries.
int dks_history_count(History *h);

#endif
