package org.pocaduck.parquet.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.duckdb.DuckDBConnection;
import org.pocaduck.LabelSelection;
import org.pocaduck.Labels;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageException;
import org.pocaduck.parquet.io.StoreIO;
import org.pocaduck.parquet.io.StoreLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A memory-mapped copy of a consolidated index's {@code point_cloud_index}, so that a label's
 * point count, block ids and row runs are found by a binary search instead of a SQL statement.
 * Derived data: the DuckDB index stays the index of record, and this file (its name plus
 * {@value StoreLayout#LABEL_DIRECTORY_SUFFIX}, beside it) is rebuilt from it whenever it is
 * missing or does not match the index's size (docs/FORMAT.md, "Label directory").
 *
 * <p>Layout (little-endian): a 64-byte header (magic, version, the index file's byte size, L
 * labels, R runs, the offset of the string tables), then the sections {@code label ^ 2^63}
 * (long[L], ascending, so signed order is unsigned label order), first run (long[L + 1]), point
 * count (long[L]), run row start (long[R]), run point count (long[R]), block count (int[L]), run
 * file (int[R], into the file table), run block (int[R], into the block table), then the file
 * table and the block-id table, each an int count followed by (int byte length, UTF-8 bytes).
 *
 * <p>Thread-safe after opening: every read uses absolute positions of read-only buffers. Each
 * section must stay under 2 GiB (268 M labels or runs); a larger index is read through SQL.
 */
final class LabelDirectory implements LabelIndex {
    private static final Logger LOG = LoggerFactory.getLogger(LabelDirectory.class);
    private static final long MAGIC = 0x3152494C4B444350L; // "PCDKLIR1" little-endian
    private static final int VERSION = 1;
    private static final int HEADER = 64;
    /** Largest section a MappedByteBuffer holds. */
    private static final long MAX_SECTION = Integer.MAX_VALUE - 8;

    private final LongBuffer keys;
    private final LongBuffer firstRun;
    private final LongBuffer pointCounts;
    private final LongBuffer runStart;
    private final LongBuffer runCount;
    private final IntBuffer blockCounts;
    private final IntBuffer runFile;
    private final IntBuffer runBlock;
    private final String[] files;
    private final String[] blocks;
    private final int labels;

    private LabelDirectory(MappedByteBuffer map, int labels, int runs, long stringsOffset) {
        this.labels = labels;
        long offset = HEADER;
        keys = longs(map, offset, labels);
        offset += 8L * labels;
        firstRun = longs(map, offset, labels + 1);
        offset += 8L * (labels + 1);
        pointCounts = longs(map, offset, labels);
        offset += 8L * labels;
        runStart = longs(map, offset, runs);
        offset += 8L * runs;
        runCount = longs(map, offset, runs);
        offset += 8L * runs;
        blockCounts = ints(map, offset, labels);
        offset += 4L * labels;
        runFile = ints(map, offset, runs);
        offset += 4L * runs;
        runBlock = ints(map, offset, runs);
        ByteBuffer strings = map.duplicate().order(ByteOrder.LITTLE_ENDIAN).position((int) stringsOffset);
        files = readStrings(strings);
        blocks = readStrings(strings);
    }

    /**
     * Opens the directory of a consolidated index, building it from the index first if it is
     * missing or stale. The directory is a store file ({@link StoreLayout#labelDirectory}),
     * written and read through the store's I/O like the index: staged, published whole (uploaded
     * on S3), and read from a local copy.
     *
     * @param io the store
     * @param indexName the consolidated index's file name in {@code index/}
     * @param index a local copy of the index ({@link StoreIO#localFile})
     * @param connection an open connection to it, streaming its results
     * @return the directory, or null if there can be none: the index is too large for one, or the
     *     directory cannot be written (a read-only store); lookups then use SQL
     * @throws StorageException if the index cannot be read or is not sorted by label
     */
    static LabelDirectory open(StoreIO io, String indexName, Path index, DuckDBConnection connection) {
        String name = StoreLayout.labelDirectory(indexName);
        try {
            long indexSize = Files.size(index);
            LabelDirectory directory = existing(io, name, indexSize);
            if (directory != null) {
                return directory;
            }
            Path local;
            try {
                Path staging = io.stagingFile(name);
                try {
                    if (!build(connection, index, staging)) {
                        return null;
                    }
                    local = io.publishAndKeep(staging, name);
                } finally {
                    Files.deleteIfExists(staging);
                }
            } catch (IOException e) {
                LOG.info("No label directory for index {}: cannot write {} ({}); label lookups use SQL",
                        io.describe(StoreLayout.index(indexName)), io.describe(name), e.toString());
                return null;
            }
            directory = tryOpen(local, indexSize);
            if (directory == null) {
                throw new IOException("the directory just built does not match the index");
            }
            return directory;
        } catch (IOException | SQLException e) {
            throw new StorageException("Cannot open the label directory " + io.describe(name) + " of index "
                    + index + ": " + e.getMessage(), e);
        }
    }

    /** @return the store's directory file if it exists and was built from this index, else null */
    private static LabelDirectory existing(StoreIO io, String name, long indexSize) throws IOException {
        Path local;
        try {
            local = io.localFile(name);
        } catch (NoSuchFileException e) {
            return null;
        }
        return tryOpen(local, indexSize);
    }

    /** @return the directory, or null if the file is missing or was built from another index */
    private static LabelDirectory tryOpen(Path file, long indexSize) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER || size > MAX_SECTION) {
                return null;
            }
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            ByteBuffer header = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            if (header.getLong(0) != MAGIC || header.getInt(8) != VERSION || header.getLong(16) != indexSize) {
                return null;
            }
            long labels = header.getLong(24);
            long runs = header.getLong(32);
            long strings = header.getLong(40);
            if (labels < 0 || runs < 0 || strings > size || strings < HEADER + 32L * labels + 24L * runs) {
                return null;
            }
            return new LabelDirectory(map, (int) labels, (int) runs, strings);
        }
    }

    /**
     * Writes the directory of an index into a new file.
     *
     * @param target the file to write (a staging file, which must not exist yet)
     * @return false if the index is too large for a directory (the target may then hold part of
     *     one: the caller deletes it)
     */
    static boolean build(DuckDBConnection connection, Path index, Path target) throws SQLException, IOException {
        long labelCount;
        long runCount;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT (SELECT count(*) FROM label_summary),"
                        + " (SELECT count(*) FROM point_cloud_index)")) {
            rs.next();
            labelCount = rs.getLong(1);
            runCount = rs.getLong(2);
        }
        long stringsOffset = HEADER + 32L * labelCount + 8 + 24L * runCount;
        if (stringsOffset > MAX_SECTION / 2) {
            return false;
        }
        int labels = (int) labelCount;
        int runs = (int) runCount;
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            Map<String, Integer> fileIds = new HashMap<>();
            Map<String, Integer> blockIds = new HashMap<>();
            List<String> fileTable = new ArrayList<>();
            List<String> blockTable = new ArrayList<>();
            fill(connection, index, channel, labels, runs, fileIds, fileTable, blockIds, blockTable);
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.putLong(0, MAGIC).putInt(8, VERSION).putInt(12, 0).putLong(16, Files.size(index))
                    .putLong(24, labels).putLong(32, runs).putLong(40, stringsOffset);
            writeFully(channel, header, 0);
            channel.position(stringsOffset);
            writeStrings(channel, fileTable);
            writeStrings(channel, blockTable);
            // The string tables may make it too large to map at once.
            return channel.size() <= MAX_SECTION;
        }
    }

    /**
     * Writes one section of the file front to back through a small buffer at its own offset:
     * the sections fill side by side as rows stream in, and the file's pages go through the page
     * cache instead of this process's memory (a memory-mapped build of a 10 million label store
     * held its 600 MB resident).
     */
    private static final class SectionWriter {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long position;

        SectionWriter(FileChannel channel, long offset) {
            this.channel = channel;
            this.position = offset;
        }

        void putLong(long value) throws IOException {
            if (buffer.remaining() < Long.BYTES) {
                flush();
            }
            buffer.putLong(value);
        }

        void putInt(int value) throws IOException {
            if (buffer.remaining() < Integer.BYTES) {
                flush();
            }
            buffer.putInt(value);
        }

        void flush() throws IOException {
            buffer.flip();
            position += writeFully(channel, buffer, position);
            buffer.clear();
        }
    }

    private static void fill(DuckDBConnection connection, Path index, FileChannel channel, int labels, int runs,
            Map<String, Integer> fileIds, List<String> fileTable, Map<String, Integer> blockIds,
            List<String> blockTable) throws SQLException, IOException {
        long keysAt = HEADER;
        long firstRunAt = keysAt + 8L * labels;
        long pointsAt = firstRunAt + 8L * (labels + 1);
        long runStartAt = pointsAt + 8L * labels;
        long runCountAt = runStartAt + 8L * runs;
        long blockCountAt = runCountAt + 8L * runs;
        long runFileAt = blockCountAt + 4L * labels;
        long runBlockAt = runFileAt + 4L * runs;
        SectionWriter keys = new SectionWriter(channel, keysAt);
        SectionWriter firstRuns = new SectionWriter(channel, firstRunAt);
        SectionWriter pointCounts = new SectionWriter(channel, pointsAt);
        SectionWriter runStarts = new SectionWriter(channel, runStartAt);
        SectionWriter runCounts = new SectionWriter(channel, runCountAt);
        SectionWriter blockCounts = new SectionWriter(channel, blockCountAt);
        SectionWriter runFiles = new SectionWriter(channel, runFileAt);
        SectionWriter runBlocks = new SectionWriter(channel, runBlockAt);
        int label = -1;
        int run = 0;
        long previous = 0;
        String previousBlock = null;
        long points = 0;
        int blocksOfLabel = 0;
        // A plain scan: the consolidator stores the rows sorted by label, block, worker, file, row.
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT label, block_id, file_path, row_start, point_count"
                        + " FROM point_cloud_index")) {
            while (rs.next()) {
                if (run >= runs) {
                    throw new SQLException("point_cloud_index has more rows than it counted");
                }
                long value = rs.getLong(1);
                String block = rs.getString(2);
                if (label < 0 || value != previous) {
                    if (label >= 0 && Long.compareUnsigned(value, previous) < 0) {
                        throw new StorageException("Cannot build the label directory of " + index + ": it lists label "
                                + Labels.format(value) + " after " + Labels.format(previous)
                                + "; its point_cloud_index must be sorted by label (rebuild it with consolidate)");
                    }
                    if (label >= 0) {
                        pointCounts.putLong(points);
                        blockCounts.putInt(blocksOfLabel);
                    }
                    label++;
                    if (label >= labels) {
                        throw new SQLException("point_cloud_index has more labels than label_summary");
                    }
                    keys.putLong(value ^ Long.MIN_VALUE);
                    firstRuns.putLong(run);
                    previous = value;
                    previousBlock = null;
                    points = 0;
                    blocksOfLabel = 0;
                }
                if (!block.equals(previousBlock)) {
                    blocksOfLabel++;
                    previousBlock = block;
                }
                long count = rs.getLong(5);
                points += count;
                runStarts.putLong(rs.getLong(4));
                runCounts.putLong(count);
                runFiles.putInt(intern(rs.getString(3), fileIds, fileTable));
                runBlocks.putInt(intern(block, blockIds, blockTable));
                run++;
            }
        }
        if (label + 1 != labels || run != runs) {
            throw new SQLException("point_cloud_index holds " + (label + 1) + " labels and " + run
                    + " rows, label_summary and count(*) said " + labels + " and " + runs);
        }
        if (labels > 0) {
            pointCounts.putLong(points);
            blockCounts.putInt(blocksOfLabel);
        }
        firstRuns.putLong(run);
        for (SectionWriter section : List.of(keys, firstRuns, pointCounts, runStarts, runCounts, blockCounts,
                runFiles, runBlocks)) {
            section.flush();
        }
    }

    private static int intern(String text, Map<String, Integer> ids, List<String> table) {
        Integer id = ids.get(text);
        if (id == null) {
            id = table.size();
            ids.put(text, id);
            table.add(text);
        }
        return id;
    }

    private static void writeStrings(FileChannel channel, List<String> table) throws IOException {
        ByteBuffer count = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, table.size());
        writeFully(channel, count);
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (String text : table) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (buffer.remaining() < 4 + bytes.length) {
                buffer.flip();
                writeFully(channel, buffer);
                buffer = ByteBuffer.allocate(Math.max(1 << 16, 4 + bytes.length)).order(ByteOrder.LITTLE_ENDIAN);
            }
            buffer.putInt(bytes.length).put(bytes);
        }
        buffer.flip();
        writeFully(channel, buffer);
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Writes the buffer's remaining bytes at a position. @return the bytes written */
    private static int writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int written = 0;
        while (buffer.hasRemaining()) {
            written += channel.write(buffer, position + written);
        }
        return written;
    }

    private static String[] readStrings(ByteBuffer buffer) {
        int count = buffer.getInt();
        String[] table = new String[count];
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[buffer.getInt()];
            buffer.get(bytes);
            table[i] = new String(bytes, StandardCharsets.UTF_8);
        }
        return table;
    }

    private static LongBuffer longs(MappedByteBuffer map, long offset, int count) {
        return map.slice((int) offset, 8 * count).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
    }

    private static IntBuffer ints(MappedByteBuffer map, long offset, int count) {
        return map.slice((int) offset, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    }

    @Override
    public Runs runs(LabelSelection selection, QueryTiming.Recorder timing) {
        timing.indexLookupDone();
        Iterator<Integer> positions = switch (selection) {
            case LabelSelection.Listed list -> IntStream.range(0, list.size()).map(i -> find(list.label(i)))
                    .filter(p -> p >= 0).iterator();
            case LabelSelection.Range range -> IntStream.range(firstAtOrAbove(range.first()), labels)
                    .takeWhile(p -> range.contains(labelAt(p))).iterator();
            case LabelSelection.All all -> IntStream.range(0, labels).iterator();
        };
        return new Runs() {
            @Override
            public boolean hasNext() {
                return positions.hasNext();
            }

            @Override
            public List<IndexEntry> next() {
                int position = positions.next();
                List<IndexEntry> entries = entriesAt(position, labelAt(position));
                timing.indexLookupDone();
                return entries;
            }

            @Override
            public void close() {
                // Nothing held: the directory is mapped for the query's life.
            }
        };
    }

    /** @return the label at a position */
    private long labelAt(int position) {
        return keys.get(position) ^ Long.MIN_VALUE;
    }

    /** @return the position of the first label at or above {@code label} (unsigned), or the label count */
    private int firstAtOrAbove(long label) {
        long key = label ^ Long.MIN_VALUE;
        int lo = 0;
        int hi = labels;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys.get(mid) < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** @return the label's position, or -1 if the index does not hold it */
    int find(long label) {
        long key = label ^ Long.MIN_VALUE;
        int lo = 0;
        int hi = labels - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long k = keys.get(mid);
            if (k < key) {
                lo = mid + 1;
            } else if (k > key) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    @Override
    public long pointCount(long label, QueryTiming.Recorder timing) {
        int i = find(label);
        long count = i < 0 ? 0 : pointCounts.get(i);
        timing.indexLookupDone().rows(count > 0 ? 1 : 0);
        return count;
    }

    @Override
    public List<String> blocks(long label, QueryTiming.Recorder timing) {
        List<String> blocks = blocks(label);
        timing.indexLookupDone().rows(blocks.size());
        return blocks;
    }

    private List<String> blocks(long label) {
        int i = find(label);
        if (i < 0) {
            return List.of();
        }
        int from = (int) firstRun.get(i);
        int to = (int) firstRun.get(i + 1);
        String[] ids = new String[blockCounts.get(i)];
        int n = 0;
        int previous = -1;
        for (int r = from; r < to; r++) {
            int block = runBlock.get(r);
            if (block != previous) {
                ids[n++] = blocks[block];
                previous = block;
            }
        }
        String[] sorted = java.util.Arrays.copyOf(ids, n);
        java.util.Arrays.sort(sorted);
        return List.of(sorted);
    }

    @Override
    public List<IndexEntry> entries(long label, QueryTiming.Recorder timing) {
        List<IndexEntry> entries = entries(label);
        timing.indexLookupDone();
        return entries;
    }

    private List<IndexEntry> entries(long label) {
        int i = find(label);
        return i < 0 ? new ArrayList<>() : entriesAt(i, label);
    }

    /** @return the runs of the label at position {@code i} */
    private List<IndexEntry> entriesAt(int i, long label) {
        int from = (int) firstRun.get(i);
        int to = (int) firstRun.get(i + 1);
        List<IndexEntry> entries = new ArrayList<>(to - from);
        for (int r = from; r < to; r++) {
            entries.add(new IndexEntry(label, blocks[runBlock.get(r)], files[runFile.get(r)], runStart.get(r),
                    runCount.get(r)));
        }
        return entries;
    }
}
