package org.pocaduck.support;

/** Releasing resources after a failure or at the end of a stream. */
public final class Closeables {
    private Closeables() {
    }

    /**
     * Closes each non-null resource in order, ignoring what closing throws: for releasing
     * read-only resources (result sets, statements, connections, channels) after a failure or at
     * the end of a stream, where nothing stored can be lost and the caller's own failure, if any,
     * is what matters.
     *
     * @param resources the resources; nulls are skipped
     */
    public static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception ignored) {
                // Releasing: the caller's failure, or its result, is what counts.
            }
        }
    }
}
