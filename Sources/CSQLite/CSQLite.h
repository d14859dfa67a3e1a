// The system SQLite (Debian: libsqlite3-dev), imported into Swift as `CSQLite`.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift does not import.
// Binding with it makes SQLite copy the bytes before the bind call returns.
static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
