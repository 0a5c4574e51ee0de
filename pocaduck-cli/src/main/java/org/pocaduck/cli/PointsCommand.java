package org.pocaduck.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SortedSet;
import java.util.TreeSet;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.Labels;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.QueryTiming;
import org.pocaduck.ReadOption;
import org.pocaduck.Store;
import org.pocaduck.Timed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pocaduck points LABEL}: exports one label's points. */
@Command(name = "points", mixinStandardHelpOptions = true,
        description = {"Exports every point of one label, gathered over every block and worker.",
                "csv: header of dimension names, one point per line (to standard output unless --output).",
                "npy: int64 array of shape (N, D), loads with numpy.load.",
                "ply: binary little-endian vertices with x, y, z as doubles (attributes are left out).",
                "parquet: one row per point, columns label (uint64), then x, y, z, attributes (int64).",
                "--by-block adds a block_id column (csv: first; parquet: after label) and reads the label block by "
                        + "block in block-id order, with bounded memory however large it is.",
                "--blocks ID,ID,... exports only the points of those blocks."})
final class PointsCommand extends StoreCommand {
    /** Export formats. */
    enum Format { csv, npy, ply, parquet }

    @Parameters(index = "0", paramLabel = "LABEL", converter = LabelConverter.class,
            description = "The label, an unsigned 64-bit decimal.")
    long label;

    @Option(names = "--format", defaultValue = "csv", paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (required for npy, ply and parquet).")
    Path output;

    @Option(names = "--distinct", description = "Drop repeated points (not with --by-block).")
    boolean distinct;

    @Option(names = "--by-block", description = "Add a block_id column (csv and parquet only).")
    boolean byBlock;

    @Option(names = "--blocks", split = ",", paramLabel = "ID",
            description = "Export only these blocks: block ids as written, comma-separated (an id holding a "
                    + "comma cannot be given here; Query.points(label, blockIds) reads it).")
    List<String> blocks;

    /** Points per chunk when a label is exported block by block. */
    static final int CHUNK_POINTS = 1 << 16;

    @Override
    int run(Store store, Query query) {
        if (output == null && format != Format.csv) {
            throw new IllegalArgumentException("Cannot write " + format + " points of label " + Labels.format(label)
                    + " to the terminal: give --output FILE");
        }
        if (byBlock && (format == Format.npy || format == Format.ply)) {
            throw new IllegalArgumentException("Cannot write " + format + " points of label " + Labels.format(label)
                    + " by block: only csv and parquet have a block_id column");
        }
        if (byBlock && distinct) {
            throw new IllegalArgumentException("Cannot write points of label " + Labels.format(label)
                    + " by block with --distinct: distinct points are those of the whole label; leave out one option");
        }
        List<String> names = query.schema().orElse(PointSchema.defaultFor(3)).names();
        try {
            QueryTiming timing = byBlock ? exportByBlock(store.storageType(), query, names) : exportWhole(query);
            timing(timing);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write points of label " + Labels.format(label) + " to "
                    + (output == null ? "standard output" : output) + ": " + e.getMessage(), e);
        }
        return 0;
    }

    private QueryTiming exportWhole(Query query) throws IOException {
        ReadOption[] options = distinct ? new ReadOption[] {ReadOption.DISTINCT} : new ReadOption[0];
        Timed<PointCloud> timed = blocks == null ? query.pointsTimed(label, options)
                : query.pointsTimed(label, new TreeSet<>(blocks), options);
        PointCloud points = timed.result();
        List<String> names = query.schema().orElse(PointSchema.defaultFor(points.dimensions())).names();
        if (format == Format.csv) {
            if (output == null) {
                PointExport.csv(points, names, out());
            } else {
                try (Writer writer = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                    PointExport.csv(points, names, writer);
                }
            }
        } else if (format == Format.parquet) {
            ParquetExport.write(points, label, names, output);
        } else {
            try (OutputStream stream = Files.newOutputStream(output)) {
                if (format == Format.npy) {
                    PointExport.npy(points, stream);
                } else {
                    PointExport.ply(points, label, names, stream);
                }
            }
        }
        return timed.timing();
    }

    /**
     * Writes the label block by block: every block with {@link Query#streamBlocks} (one chunk in
     * memory at a time), or the chosen blocks one after another in block-id order.
     */
    private QueryTiming exportByBlock(String storageType, Query query, List<String> names) throws IOException {
        try (BlockChunks chunks = blocks == null ? query.streamBlocks(label, CHUNK_POINTS)
                : new ChosenBlocks(storageType, query, label, new TreeSet<>(blocks))) {
            if (format == Format.parquet) {
                ParquetExport.write(chunks, label, names, true, output);
            } else if (output == null) {
                csvByBlock(chunks, names, out());
            } else {
                try (Writer writer = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                    csvByBlock(chunks, names, writer);
                }
            }
            return chunks.timing();
        }
    }

    private static void csvByBlock(BlockChunks chunks, List<String> names, Writer out) throws IOException {
        PointExport.csvHeader(names, true, out);
        while (chunks.hasNext()) {
            BlockPoints chunk = chunks.next();
            PointExport.csvRows(chunk.points(), chunk.blockId(), out);
        }
        out.flush();
    }

    /** The points of chosen blocks, one block per chunk, read with {@link Query#pointsTimed(long, java.util.Set, ReadOption...)}. */
    private static final class ChosenBlocks implements BlockChunks {
        private final Query query;
        private final long label;
        private final Iterator<String> ids;
        private final QueryTiming.Recorder timing;
        private BlockPoints next;
        private long returned;

        ChosenBlocks(String storageType, Query query, long label, SortedSet<String> ids) {
            this.query = query;
            this.label = label;
            this.ids = ids.iterator();
            this.timing = QueryTiming.start(storageType, "points");
        }

        @Override
        public boolean hasNext() {
            while (next == null && ids.hasNext()) {
                String id = ids.next();
                Timed<PointCloud> timed = query.pointsTimed(label, java.util.Set.of(id));
                timing.add(timed.timing());
                if (!timed.result().isEmpty()) {
                    next = new BlockPoints(id, timed.result());
                }
            }
            return next != null;
        }

        @Override
        public BlockPoints next() {
            if (!hasNext()) {
                throw new NoSuchElementException("No more blocks");
            }
            BlockPoints chunk = next;
            next = null;
            returned += chunk.points().size();
            return chunk;
        }

        @Override
        public QueryTiming timing() {
            return timing.finish(returned);
        }

        @Override
        public void close() {
            next = null;
        }
    }
}
