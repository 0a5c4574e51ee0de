package org.pocaduck;

/**
 * Reading or writing stored data failed: an I/O or SQL error, a missing, truncated or corrupt
 * file, a store written by a newer format version. The message names the path, table or
 * statement and the problem; the backend's own exception is the cause.
 */
public class StorageException extends PocaDuckException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
