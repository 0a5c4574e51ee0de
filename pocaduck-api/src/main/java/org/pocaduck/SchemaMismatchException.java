package org.pocaduck;

/**
 * Points do not fit the store's point schema: a write whose dimension count D differs from the
 * store's, a declared schema that differs from the stored one, or workers that wrote different
 * schemas into one store (found at consolidation). Nothing already stored is changed.
 */
public class SchemaMismatchException extends PocaDuckException {
    private static final long serialVersionUID = 1L;

    public SchemaMismatchException(String message) {
        super(message);
    }
}
