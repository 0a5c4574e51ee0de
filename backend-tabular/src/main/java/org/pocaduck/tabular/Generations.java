package org.pocaduck.tabular;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of worker runs and commits: microseconds since the epoch, strictly increasing for
 * the stores of one factory (in practice, of the JVM: {@code PocaDuck} keeps one factory). A
 * worker run takes a generation when it starts and a commit time when it commits; a query takes a
 * snapshot time when it opens and sees, per worker, the highest generation committed at or before
 * it. Across processes the wall clocks order runs, which is what reruns need (a rerun starts
 * after the crashed run). Thread-safe.
 */
final class Generations {
    private final AtomicLong last = new AtomicLong();

    /** @return a time later than every earlier one this clock handed out */
    long next() {
        Instant now = Instant.now();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        return last.updateAndGet(previous -> Math.max(previous + 1, micros));
    }
}
