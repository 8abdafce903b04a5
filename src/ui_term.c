/* ui_term: whether the terminal description for TERM exists.
 *
 * newterm() on an unknown TERM returns NULL but keeps the screen it
 * began to build; asking setupterm() first, and freeing what it loaded,
 * lets folio refuse an unknown terminal without leaking.  term.h defines
 * a macro for every capability name, so it lives alone in this file. */
#include "config.h"

#include <curses.h>
#include <stdbool.h>

#include "ui.h"

#include <term.h>

bool
ui_term_known(const char *term, int fd)
{
	int err = 0;
	if (setupterm(term, fd, &err) != OK)
		return false;
	del_curterm(cur_term);
	return true;
}
