COLUMNS=30 --dump --chapter 2 @SRCDIR@/tests/books/prose.txt
