// ceditline_shim: see include/ceditline_shim.h. Each function forwards one variadic libedit call.
#include "ceditline_shim.h"
#include <histedit.h>
#include <signal.h>
#include <string.h>

static char dks_prompt_text[256] = "dks> ";

static char *dks_prompt_fn(EditLine *el) {
    (void)el;
    return dks_prompt_text;
}

EditLine *dks_el_init(const char *prog, FILE *in, FILE *out, FILE *err) {
    EditLine *el = el_init(prog, in, out, err);
    if (el) el_set(el, EL_PROMPT, dks_prompt_fn);
    return el;
}

void dks_el_end(EditLine *el) { el_end(el); }

int dks_el_set_prompt(EditLine *el, const char *text) {
    (void)el;
    strncpy(dks_prompt_text, text, sizeof dks_prompt_text - 1);
    dks_prompt_text[sizeof dks_prompt_text - 1] = '\0';
    return 0;
}

int dks_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
int dks_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }

int dks_el_addfn(EditLine *el, const char *name, const char *help, dks_el_keyfn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

int dks_el_bind(EditLine *el, const char *key, const char *fn_name) {
    return el_set(el, EL_BIND, key, fn_name, NULL);
}

int dks_el_setty_edit(EditLine *el, const char *arg) {
    return el_set(el, EL_SETTY, "-d", arg, NULL);
}

int dks_el_set_hist(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
void dks_el_resize(EditLine *el) { el_resize(el); }
void dks_el_redisplay(EditLine *el) { el_set(el, EL_REFRESH); }

History *dks_history_init(void) { return history_init(); }
void dks_history_end(History *h) { history_end(h); }

int dks_history_setsize(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}

int dks_history_setunique(History *h, int on) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, on);
}

int dks_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

int dks_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

int dks_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

int dks_history_count(History *h) {
    HistEvent ev;
    if (history(h, &ev, H_GETSIZE) < 0) return 0;
    return ev.num;
}

/* SIGWINCH while the prompt is up: a flag the editor reads before the next line (and on EINTR). */
static volatile sig_atomic_t dks_winch_pending = 0;

static void dks_winch_handler(int sig) {
    (void)sig;
    dks_winch_pending = 1;
}

void dks_install_winch_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = dks_winch_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &action, NULL);
}

int dks_take_winch(void) {
    int pending = dks_winch_pending;
    dks_winch_pending = 0;
    return pending;
}

int dks_set_restart(int sig, int restart) {
    struct sigaction action;
    if (sigaction(sig, NULL, &action) != 0) return -1;
    if (restart) action.sa_flags |= SA_RESTART; else action.sa_flags &= ~SA_RESTART;
    return sigaction(sig, &action, NULL);
}
