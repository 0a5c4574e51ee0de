package org.pocaduck;

/** {@link PocaDuck#openExisting(StorageConfig)} found no store at the configured location. */
public class StoreNotFoundException extends PocaDuckException {
    private static final long serialVersionUID = 1L;

    public StoreNotFoundException(String message) {
        super(message);
    }
}
