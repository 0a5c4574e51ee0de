package org.pocaduck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one query operation spent its time and what it touched; the same record for every
 * backend, so backends can be compared.
 *
 * <p>Phases: {@code indexLookup} finds where a label's data is (an index query, a map lookup);
 * {@code dataRead} fetches the stored bytes or rows (file reads, result-set transfer);
 * {@code decode} turns them into point values (decompression, unpacking, distinct). Phases are
 * disjoint; {@code total} covers the whole call and is at least their sum.
 *
 * @param backend the storage type that answered, such as {@code memory}
 * @param operation what ran: {@code labels}, {@code labelSummaries}, {@code pointCount},
 *     {@code blocks}, {@code points}, {@code streamPoints} or {@code streamBlocks}
 * @param total wall-clock time of the whole call
 * @param indexLookup time spent finding the data
 * @param dataRead time spent reading stored data
 * @param decode time spent decoding values
 * @param filesTouched files opened or read (0 where the backend has no files)
 * @param rowsRead stored rows read (Parquet rows, table rows, in-memory segments)
 * @param bytesRead stored bytes read (compressed, as stored), or the in-memory size
 * @param readRequests read requests sent to storage for those bytes: ranged GETs of an object
 *     store, positional reads of a local file (0 where the backend does not count them)
 * @param pointsReturned points in the result
 * @param cacheHit true if the result came from a cache without reading stored data
 * @param sql the SQL statements that ran, in order; empty where none ran
 */
public record QueryTiming(
        String backend,
        String operation,
        Duration total,
        Duration indexLookup,
        Duration dataRead,
        Duration decode,
        long filesTouched,
        long rowsRead,
        long bytesRead,
        long readRequests,
        long pointsReturned,
        boolean cacheHit,
        List<String> sql) {

    /** @throws IllegalArgumentException if a count or duration is negative */
    public QueryTiming {
        Objects.requireNonNull(backend, "backend is null");
        Objects.requireNonNull(operation, "operation is null");
        for (Duration d : List.of(
                Objects.requireNonNull(total, "total is null"),
                Objects.requireNonNull(indexLookup, "indexLookup is null"),
                Objects.requireNonNull(dataRead, "dataRead is null"),
                Objects.requireNonNull(decode, "decode is null"))) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("Cannot record query timing: negative duration " + d);
            }
        }
        if (filesTouched < 0 || rowsRead < 0 || bytesRead < 0 || readRequests < 0 || pointsReturned < 0) {
            throw new IllegalArgumentException("Cannot record query timing: negative count");
        }
        sql = List.copyOf(Objects.requireNonNull(sql, "sql is null"));
    }

    /**
     * Starts timing one operation. The clock starts now.
     *
     * @param backend the storage type answering
     * @param operation the operation's name
     */
    public static Recorder start(String backend, String operation) {
        return new Recorder(backend, operation);
    }

    /**
     * Returns this timing with {@code extra} added to the decode phase and the total, and the
     * point count replaced; used when work is done on a backend's result (such as distinct).
     */
    public QueryTiming withExtraDecode(Duration extra, long newPointsReturned) {
        return new QueryTiming(backend, operation, total.plus(extra), indexLookup, dataRead, decode.plus(extra),
                filesTouched, rowsRead, bytesRead, readRequests, newPointsReturned, cacheHit, sql);
    }

    /**
     * Measures phases of one operation with {@link System#nanoTime()}: each {@code lap} charges
     * the time since the previous lap (or the start) to one phase. Not thread-safe: one
     * recorder per call.
     */
    public static final class Recorder {
        private final String backend;
        private final String operation;
        private final long startNanos;
        private long lastNanos;
        private long indexLookupNanos;
        private long dataReadNanos;
        private long decodeNanos;
        private long files;
        private long rows;
        private long bytes;
        private long requests;
        private boolean cacheHit;
        private final List<String> sql = new ArrayList<>();

        private Recorder(String backend, String operation) {
            this.backend = Objects.requireNonNull(backend, "backend is null");
            this.operation = Objects.requireNonNull(operation, "operation is null");
            this.startNanos = System.nanoTime();
            this.lastNanos = startNanos;
        }

        /** Charges the time since the last lap to the index lookup. */
        public Recorder indexLookupDone() {
            indexLookupNanos += lap();
            return this;
        }

        /** Charges the time since the last lap to the data read. */
        public Recorder dataReadDone() {
            dataReadNanos += lap();
            return this;
        }

        /** Charges the time since the last lap to decoding. */
        public Recorder decodeDone() {
            decodeNanos += lap();
            return this;
        }

        /** Skips the time since the last lap (it still counts in the total). */
        public Recorder skip() {
            lap();
            return this;
        }

        /** Adds to the files touched. */
        public Recorder files(long count) {
            files += count;
            return this;
        }

        /** Adds to the rows read. */
        public Recorder rows(long count) {
            rows += count;
            return this;
        }

        /** Adds to the bytes read. */
        public Recorder bytes(long count) {
            bytes += count;
            return this;
        }

        /** Adds to the read requests. */
        public Recorder requests(long count) {
            requests += count;
            return this;
        }

        /** Marks the result as served from a cache. */
        public Recorder cacheHit(boolean hit) {
            cacheHit = hit;
            return this;
        }

        /** Records one SQL statement that ran. */
        public Recorder sql(String statement) {
            sql.add(Objects.requireNonNull(statement, "statement is null"));
            return this;
        }

        /** Adds the phases and counts of an earlier timing (for example one chunk of a stream). */
        public Recorder add(QueryTiming part) {
            indexLookupNanos += part.indexLookup().toNanos();
            dataReadNanos += part.dataRead().toNanos();
            decodeNanos += part.decode().toNanos();
            files += part.filesTouched();
            rows += part.rowsRead();
            bytes += part.bytesRead();
            requests += part.readRequests();
            cacheHit |= part.cacheHit();
            sql.addAll(part.sql());
            return this;
        }

        /**
         * Stops the clock.
         *
         * @param pointsReturned points in the result
         * @return the timing; the total is the time since {@link QueryTiming#start}
         */
        public QueryTiming finish(long pointsReturned) {
            long total = System.nanoTime() - startNanos;
            total = Math.max(total, indexLookupNanos + dataReadNanos + decodeNanos);
            return new QueryTiming(backend, operation, Duration.ofNanos(total), Duration.ofNanos(indexLookupNanos),
                    Duration.ofNanos(dataReadNanos), Duration.ofNanos(decodeNanos), files, rows, bytes,
                    requests, pointsReturned, cacheHit, sql);
        }

        private long lap() {
            long now = System.nanoTime();
            long elapsed = now - lastNanos;
            lastNanos = now;
            return elapsed;
        }
    }
}
