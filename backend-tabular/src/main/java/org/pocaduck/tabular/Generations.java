package org.pocaduck.tabular;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of worker runs and commits: microseconds since the epoch, strictly increasing within
 * this JVM. A worker run takes a generation when it starts and a commit time when it commits; a
 * query takes a snapshot time when it opens and sees, per worker, the highest generation committed
 * at or before it. Across processes the wall clocks order runs, which is what reruns need (a rerun
 * starts after the crashed run).
 */
final class Generations {
    private static final AtomicLong LAST = new AtomicLong();

    private Generations() {
    }

    /** @return a time later than every earlier one this JVM handed out */
    static long next() {
        Instant now = Instant.now();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        return LAST.updateAndGet(previous -> Math.max(previous + 1, micros));
    }
}
