package org.pocaduck.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pocaduck.Labels;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
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
                "parquet: one row per point, columns label (uint64), then x, y, z, attributes (int64)."})
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

    @Option(names = "--distinct", description = "Drop repeated points.")
    boolean distinct;

    @Override
    int run(Store store, Query query) {
        if (output == null && format != Format.csv) {
            throw new IllegalArgumentException("Cannot write " + format + " points of label " + Labels.format(label)
                    + " to the terminal: give --output FILE");
        }
        Timed<PointCloud> timed = distinct ? query.pointsTimed(label, ReadOption.DISTINCT) : query.pointsTimed(label);
        PointCloud points = timed.result();
        List<String> names = query.schema().orElse(PointSchema.defaultFor(points.dimensions())).names();
        try {
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
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write points of label " + Labels.format(label) + " to "
                    + (output == null ? "standard output" : output) + ": " + e.getMessage(), e);
        }
        timing(timed.timing());
        return 0;
    }
}
