package org.pocaduck.migrate;

/**
 * Progress of a {@link Migration}, for a progress bar or a log. Methods are called from the
 * migration's worker threads, so an implementation must be thread-safe and return quickly. An
 * exception thrown from one stops the migration as any failure does: the shares committed so far
 * are kept, the share in progress is discarded, and a rerun resumes (a way to cancel). Every
 * method does nothing by default.
 */
public interface MigrationListener {
    /** A listener that ignores everything. */
    MigrationListener NONE = new MigrationListener() {
    };

    /**
     * The source's label index has been read and cut into shares; nothing is written yet.
     *
     * @param labels labels to migrate
     * @param points points to migrate
     * @param shares shares (destination worker ids)
     */
    default void planned(long labels, long points, int shares) {
    }

    /**
     * A share an earlier run committed is skipped: its labels and points count as done.
     *
     * @param labels labels of the share
     * @param points points of the share
     */
    default void skipped(long labels, long points) {
    }

    /**
     * One label has been copied (not yet committed: its share commits when all its labels are
     * copied).
     *
     * @param points the label's points
     */
    default void labelCopied(long points) {
    }

    /** Every share is committed; the destination is being consolidated. */
    default void consolidating() {
    }
}
