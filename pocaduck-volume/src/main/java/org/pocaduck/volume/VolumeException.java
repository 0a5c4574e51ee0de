package org.pocaduck.volume;

import org.pocaduck.PocaDuckException;

/**
 * A label volume cannot be opened or read: a missing or unreadable file, a missing sidecar,
 * a shape or size mismatch, an unsupported dtype or codec, a truncated or corrupt chunk. The
 * message names the file and the problem.
 */
public class VolumeException extends PocaDuckException {
    private static final long serialVersionUID = 1L;

    public VolumeException(String message) {
        super(message);
    }

    public VolumeException(String message, Throwable cause) {
        super(message, cause);
    }
}
