package org.pocaduck.volume.zarr;

/** A chunk cannot be decoded; the reader turns it into a VolumeException naming the chunk file. */
final class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CodecException(String message) {
        super(message);
    }

    CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
