/* ui_keys: the one key table.  The reading screen looks keys up here and
 * the help screen is generated from it. */
#include "config.h"

#include <curses.h>

#include "ui.h"

const struct ui_key ui_keys[] = {
	{ KEY_LEFT, true, "\u2190", CMD_PREV_CHAPTER },
	{ '[', false, "[", CMD_PREV_CHAPTER },
	{ KEY_RIGHT, true, "\u2192", CMD_NEXT_CHAPTER },
	{ ']', false, "]", CMD_NEXT_CHAPTER },
	{ ' ', false, "Space", CMD_PAGE_DOWN },
	{ KEY_NPAGE, true, "PageDown", CMD_PAGE_DOWN },
	{ 'f', false, "f", CMD_PAGE_DOWN },
	{ 'b', false, "b", CMD_PAGE_UP },
	{ KEY_PPAGE, true, "PageUp", CMD_PAGE_UP },
	{ KEY_DOWN, true, "\u2193", CMD_LINE_DOWN },
	{ 'j', false, "j", CMD_LINE_DOWN },
	{ '\r', false, "Enter", CMD_LINE_DOWN },
	{ '\n', false, NULL, CMD_LINE_DOWN },
	{ KEY_ENTER, true, NULL, CMD_LINE_DOWN },
	{ KEY_UP, true, "\u2191", CMD_LINE_UP },
	{ 'k', false, "k", CMD_LINE_UP },
	{ 'g', false, "g", CMD_CHAPTER_START },
	{ KEY_HOME, true, "Home", CMD_CHAPTER_START },
	{ 'G', false, "G", CMD_CHAPTER_END },
	{ KEY_END, true, "End", CMD_CHAPTER_END },
	{ 't', false, "t", CMD_TOC },
	{ 'm', false, "m", CMD_MARK_ADD },
	{ '\'', false, "'", CMD_MARKS },
	{ KEY_BACKSPACE, true, "Backspace", CMD_BACK },
	{ 127, false, NULL, CMD_BACK },
	{ 8, false, NULL, CMD_BACK },
	{ 'u', false, "u", CMD_BACK },
	{ 'i', false, "i", CMD_INFO },
	{ 's', false, "s", CMD_SETTINGS },
	{ 'L', false, "L", CMD_LIBRARY },
	{ 27, false, "Esc", CMD_LIBRARY },
	{ '/', false, "/", CMD_SEARCH_FWD },
	{ '?', false, "?", CMD_SEARCH_BACK },
	{ 'n', false, "n", CMD_SEARCH_NEXT },
	{ 'N', false, "N", CMD_SEARCH_PREV },
	{ 'h', false, "h", CMD_HELP },
	{ KEY_F(1), true, "F1", CMD_HELP },
	{ 'Z' & 0x1f, false, "Ctrl-Z", CMD_SUSPEND },
	{ 'q', false, "q", CMD_QUIT },
	{ 0, false, NULL, CMD_NONE }
};

const char *const ui_command_help[CMD_COUNT] = {
	[CMD_NONE] = "",
#define X(name, help) [CMD_##name] = help,
	COMMANDS(X)
#undef X
};
