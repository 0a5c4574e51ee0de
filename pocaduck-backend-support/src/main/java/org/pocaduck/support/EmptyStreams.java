package org.pocaduck.support;

import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelPoints;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.QueryTiming;

/**
 * Streams with nothing in them, for a store that holds nothing yet (never consolidated, or
 * empty), each with the timing of its operation.
 */
public final class EmptyStreams {
    private EmptyStreams() {
    }

    /** @return no label summaries, timed as {@code backend}'s {@code labelSummaries} */
    public static LabelSummaries labelSummaries(String backend) {
        class None extends Nothing<LabelSummary> implements LabelSummaries {
            None() {
                super(backend, "labelSummaries");
            }
        }
        return new None();
    }

    /** @return no point chunks, timed as {@code backend}'s {@code streamPoints} */
    public static PointChunks pointChunks(String backend) {
        class None extends Nothing<PointCloud> implements PointChunks {
            None() {
                super(backend, "streamPoints");
            }
        }
        return new None();
    }

    /** @return no block chunks, timed as {@code backend}'s {@code streamBlocks} */
    public static BlockChunks blockChunks(String backend) {
        class None extends Nothing<BlockPoints> implements BlockChunks {
            None() {
                super(backend, "streamBlocks");
            }
        }
        return new None();
    }

    /** @return no label chunks, timed as {@code backend}'s {@code streamLabels} */
    public static LabelChunks labelChunks(String backend) {
        class None extends Nothing<LabelPoints> implements LabelChunks {
            None() {
                super(backend, "streamLabels");
            }
        }
        return new None();
    }

    private abstract static class Nothing<T> extends StreamBase<T> {
        Nothing(String backend, String operation) {
            super(QueryTiming.start(backend, operation));
        }

        @Override
        protected T produce() {
            return null;
        }

        @Override
        protected long pointsOf(T element) {
            return 0;
        }

        @Override
        protected RuntimeException failure(Exception e) {
            return new IllegalStateException(e);
        }
    }
}
