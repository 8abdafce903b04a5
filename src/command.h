/* command: every command a key can give, as one X-macro table.  It yields
 * the enum, the names and the help text; ui_keys.c binds keys to it. */
#ifndef FOLIO_COMMAND_H
#define FOLIO_COMMAND_H

#define COMMANDS(X) \
	X(PREV_CHAPTER,  "previous chapter (its first page)") \
	X(NEXT_CHAPTER,  "next chapter") \
	X(PAGE_DOWN,     "next page; at a chapter's end, the next chapter") \
	X(PAGE_UP,       "previous page; at a chapter's start, the previous chapter") \
	X(LINE_DOWN,     "one line down") \
	X(LINE_UP,       "one line up") \
	X(CHAPTER_START, "chapter start") \
	X(CHAPTER_END,   "chapter end") \
	X(TOC,           "chapters (table of contents)") \
	X(MARK_ADD,      "add a bookmark here") \
	X(MARKS,         "bookmarks (Enter jumps, d deletes, r renames)") \
	X(BACK,          "return to before the last jump") \
	X(INFO,          "book information") \
	X(SETTINGS,      "settings") \
	X(LIBRARY,       "library") \
	X(SEARCH_FWD,    "search forward") \
	X(SEARCH_BACK,   "search backward") \
	X(SEARCH_NEXT,   "next match") \
	X(SEARCH_PREV,   "previous match") \
	X(HELP,          "help: this list") \
	X(SUSPEND,       "suspend folio (the shell's fg brings it back)") \
	X(QUIT,          "quit, saving the place")

enum command {
	CMD_NONE,
#define X(name, help) CMD_##name,
	COMMANDS(X)
#undef X
	CMD_COUNT
};

#endif
