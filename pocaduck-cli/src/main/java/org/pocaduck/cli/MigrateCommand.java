package org.pocaduck.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import org.pocaduck.LabelSelection;
import org.pocaduck.migrate.Migration;
import org.pocaduck.migrate.MigrationListener;
import org.pocaduck.migrate.MigrationResult;
import org.pocaduck.options.MemoryOptions;
import org.pocaduck.options.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pocaduck migrate}: copies a store into another of any storage type with
 * {@link Migration}, resumably, and optionally verifies the copy.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Copies every label of a store into another store of any storage type, keeping every point"
                + " and block id.",
            "Labels are cut into shares, each written and committed by one destination worker id: a migration"
                + " killed at any moment and rerun with the same --from, --to, --labels and --share-points skips"
                + " the committed shares and ends as one clean run. Exit code 1 if --verify finds differences."})
final class MigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "STORE",
            description = "The source store: a store.properties file or TYPE:LOCATION[,key=value...]"
                + " (e.g. pocaduck-python:/data/old-store, parquet-duckdb:/data/s).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "STORE",
            description = "The destination store, the same forms (e.g. tabular:trino://host:8080,catalog=vast);"
                + " created if missing; must be empty or hold an earlier run of this migration.")
    String to;

    @Option(names = "--workers", paramLabel = "N",
            description = "Threads copying shares at once (default: the number of processors).")
    Integer workers;

    @Option(names = "--verify", description = "Afterwards, compare every migrated label on both sides (as 'pocaduck verify').")
    boolean verify;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Migrate only these labels: one unsigned decimal label per line, '#' comments.")
    Path labels;

    @Mixin
    MemoryOptions memory;

    @Option(names = "--share-points", paramLabel = "N", defaultValue = "" + Migration.DEFAULT_SHARE_POINTS,
            description = "Points per share (default ${DEFAULT-VALUE}); a rerun must use the same value to resume.")
    long sharePoints;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        Migration migration = Migration.from(StoreSpec.parse(from).config()).to(StoreSpec.parse(to).config())
                .maxMemory(memory.maxMemory())
                .sharePoints(sharePoints).verify(verify);
        if (workers != null) {
            migration.workers(workers);
        }
        if (labels != null) {
            migration.labels(LabelSelection.read(labels));
        }
        MigrationResult result;
        try (Progress progress = report.progress() ? new Progress() : null) {
            if (progress != null) {
                migration.listener(progress);
            }
            result = migration.run();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (report.json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("source", result.source());
            summary.put("destination", result.destination());
            summary.put("labels", result.labels());
            summary.put("points", result.points());
            summary.put("blocks", result.blocks());
            summary.put("shares", result.shares());
            summary.put("shares_skipped", result.sharesSkipped());
            summary.put("points_copied", result.pointsCopied());
            summary.put("worker_prefix", result.workerPrefix());
            summary.put("seconds", Math.round(result.seconds() * 1000) / 1000.0);
            summary.put("points_per_second", Math.round(result.pointsPerSecond()));
            result.verification().ifPresent(v -> summary.put("verification", VerifyCommand.summary(v)));
            Output.json(out, summary);
        } else if (report.summary()) {
            out.printf(Locale.ROOT, "Migrated %s into %s%n", result.source(), result.destination());
            out.printf(Locale.ROOT, "  labels:       %,d%n", result.labels());
            out.printf(Locale.ROOT, "  points:       %,d%n", result.points());
            out.printf(Locale.ROOT, "  blocks:       %,d (label-block pairs)%n", result.blocks());
            out.printf(Locale.ROOT, "  shares:       %,d (%,d committed by an earlier run, skipped), worker ids %s*%n",
                    result.shares(), result.sharesSkipped(), result.workerPrefix());
            out.printf(Locale.ROOT, "  seconds:      %.3f%n", result.seconds());
            out.printf(Locale.ROOT, "  points/s:     %,d (%,d points copied by this run)%n",
                    Math.round(result.pointsPerSecond()), result.pointsCopied());
            result.verification().ifPresent(v -> VerifyCommand.print(out, v));
        }
        out.flush();
        return result.verification().map(v -> v.clean() ? 0 : 1).orElse(0);
    }

    /** The progress bar: points (ETA and speed), with labels done as its message. */
    private static final class Progress implements MigrationListener, AutoCloseable {
        private ProgressBar bar;
        private final AtomicLong labelsDone = new AtomicLong();
        private long labels;

        @Override
        public synchronized void planned(long labels, long points, int shares) {
            this.labels = labels;
            bar = ReportOptions.bar("migrate", points, " M points", 1_000_000, true);
            bar.setExtraMessage("0/" + labels + " labels, " + shares + " shares");
        }

        @Override
        public synchronized void skipped(long labels, long points) {
            bar.stepBy(points);
            bar.setExtraMessage(labelsDone.addAndGet(labels) + "/" + this.labels + " labels");
        }

        @Override
        public synchronized void labelCopied(long points) {
            bar.stepBy(points);
            bar.setExtraMessage(labelsDone.incrementAndGet() + "/" + labels + " labels");
        }

        @Override
        public synchronized void consolidating() {
            bar.setExtraMessage(labels + "/" + labels + " labels, consolidating");
        }

        @Override
        public synchronized void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
