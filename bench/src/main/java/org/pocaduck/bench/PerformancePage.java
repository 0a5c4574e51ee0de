package org.pocaduck.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes docs/performance.md, the project's one page of figures: a fixed introduction, then one
 * section per benchmark in a fixed order. {@code scripts/bench} refreshes sections one at a time;
 * each section carries its own stamp (the build, the machine, the command), and a section not
 * refreshed keeps what it held, stamp included. The section blocks are delimited by HTML comments
 * ({@code <!-- bench:section NAME -->} ... {@code <!-- bench:end NAME -->}).
 *
 * <p>Usage: {@code PerformancePage <page.md> <section> <input-dir> <stamp.properties>}: renders
 * the section from what the benchmark left in the input directory and writes the page, copying
 * the section's charts into {@code figures/} beside it. {@code PerformancePage <page.md> -} only
 * rewrites the introduction and adds placeholders for sections never measured.
 */
public final class PerformancePage {
    /**
     * What a section renders to.
     *
     * @param markdown its tables and notes
     * @param figures charts to copy beside the page: file name under {@code figures/} to source
     */
    record Body(String markdown, Map<String, Path> figures) {
        Body {
            Objects.requireNonNull(markdown, "markdown is null");
            figures = Map.copyOf(figures);
        }

        static Body of(String markdown) {
            return new Body(markdown, Map.of());
        }
    }

    /** The sections, in page order. */
    enum Section {
        BACKENDS("backends", "Backends side by side", true, """
                Every storage type through the public API on the two neuroproof volumes (250^3 = 15,625,000 \
                voxels each: `gt_bodies`, few large labels; `gt_supervoxels`, many small ones), with two \
                baselines measured in the same run. Every voxel, label 0 included, is a point (x, y, z) of its \
                label in its 64^3 block `bx_by_bz`.

                - **Ingest** (`IngestBenchmark`, M points/s): the volume is cut into (label, block) point clouds \
                at trial setup, so reading and grouping it are not measured; an invocation writes them all into \
                a new store through one ingestor, or two on two threads (alternate blocks), commits and \
                consolidates. `writeOneWorker` stops at the commit: the write path alone.
                - **Reads** (`QueryBenchmark`, mean ms per call): `points(label)` of a small label (the 10th \
                percentile of sizes), the median label and the largest; a random mix (256 labels drawn with a \
                fixed seed, one per call); `streamPoints` of the largest label in 65,536-point chunks; \
                `pointCount` and `blocks` over the mix; `labels()`. The read stores are written once by two \
                workers and consolidated, and kept in `POCADUCK_BENCH_DIR` (default `/tmp/pocaduck-bench`); \
                parquet-duckdb reads with its cache off (`cache_bytes=0`).
                - **Baselines** (`BaselineBenchmark`, the same labels): DuckDB `read_parquet` (JDBC, in-memory \
                database), `SELECT x, y, z FROM read_parquet([...]) WHERE label = ?` over the committed Parquet \
                files of the parquet-duckdb store, what a user would do without this library \
                ([FORMAT.md](FORMAT.md)); and the raw-read limit, `System.arraycopy` of the label's N x 3 values \
                from memory into an array allocated beforehand.
                - **Storage types**: `memory` (the written arrays kept in the JVM: the cost of the API itself), \
                `parquet-duckdb`, `tabular` on embedded DuckDB (packed, zstd), and `tabular-trino`, `tabular` on \
                the standalone Trino of `scripts/trino-server` (memory catalog, 8 MB statements), on gt_bodies \
                only.
                - **JMH**: one fork per benchmark and parameter set. The read forks touch the first 3 GB of their \
                heap at start (`-Xms3g -XX:+AlwaysPreTouch`, `-Xmx6g`), so a large label's result lands in \
                memory the process already has and the time is the backend's, not first-touch page faults'. \
                The iterations are short: compare the columns of one run, not runs.

                Reading the figures: tabular caches point counts and block lists per `Query`, and the mix cycles \
                through 256 labels, so its `pointCount` and `blocks` on DuckDB are cache hits (Trino's show \
                none); `tabular-trino` pays Trino's cost per statement on every query, standing for a VastDB \
                table reached through Trino; `memory` ingest is bound by allocating and copying arrays, so the \
                heap's state decides it and it moves most between runs."""),
        LATENCY("latency", "points(label) over every label", true, """
                `points(label)` of every label of the volume, one label per call in an order shuffled with a \
                fixed seed, each call's time sampled by JMH (`QueryBenchmark.pointsEveryLabel`, mode SampleTime): the \
                distribution a user sees over a whole store, each label size weighted by how often it occurs. The \
                read stores are those of "Backends side by side"; `tabular-array` is `tabular` on embedded DuckDB \
                with the `array` encoding (ARRAY(BIGINT) payloads); `DuckDB read_parquet` reads the same labels \
                over the parquet-duckdb store's files (`BaselineBenchmark.readParquetEveryLabel`). Stored bytes \
                are each read store's `Query.stats().bytes()`: the Parquet files of parquet-duckdb, the payloads \
                of tabular, the arrays in the heap of memory."""),
        LABEL_INDEX("label-index", "The label index: labelSummaries() against a per-label loop", true, """
                Every label's point count and block count of the gt_supervoxels read store (21,317 labels), two \
                ways (`LabelIndexBenchmark`): one pass of `labelSummaries()`, and the loop it replaces, \
                `labels()` then `pointCount(label)` and `blocks(label)` per label. Each call opens a new `Query`, \
                so tabular's per-query cache does not help the loop; JMH single shot, one fork per storage \
                type."""),
        VOLUMES("volumes", "Volume formats: read throughput", true, """
                The volume-format readers (`VolumeReadBenchmark`, module `pocaduck-volume`) on the 250^3 copies of \
                the neuroproof volumes in the shared data, one thread, million voxels per second: each invocation \
                reads the whole volume in 64^3 boxes (the scan's block grid) or in 64-slice z slabs of whole \
                slices. Image formats are best read in slabs (a 64^3 box decodes its slices' strips again); \
                chunked formats in boxes aligned to the chunk grid."""),
        MAIN_JOB("main-job", "The main job", false, """
                The README's main job, `scripts/pocaduck scan ../shared/data/neuroproof_ts2/gt_bodies.u64.raw.gz \
                --location STORE --workers 2 --json`, run by `scripts/time-main-job` round by round, the \
                variants one after another in each round so that load hits them alike: the default backend with \
                the launcher's ahead-of-time cache, without it (`POCADUCK_AOT=off`), and the memory backend \
                (`--max-memory 2GiB`: it holds every point in the heap). "Scan in the JVM" is the summary's \
                `seconds` (open, read, group, write, commit, consolidate); "whole command" includes the JVM's \
                start (`/usr/bin/time -v`). Label 0 is skipped."""),
        FORMATS("formats", "Scans per volume format", false, """
                The main job on each volume format of the shared data, `scripts/pocaduck scan VOLUME --location \
                STORE --workers 2 --keep-background --json` (64^3 blocks, label 0 kept, the default backend), one \
                run each, the HDF5 originals gunzipped first. Every scan writes 15,625,000 points, so the \
                formats differ only by their readers."""),
        COMPARE("compare", "compare on the main job's stores", false, """
                `pocaduck compare` on the stores the main job writes (`scan --workers 2`, default options), \
                parquet-duckdb with its cache off (`cache_bytes=0`): every label of gt_bodies, each read 5 times \
                in the warm-up, and 1,000 random labels of gt_supervoxels (`--warmup 5000`) by `points`; then \
                `count`, `blocks` and `streamBlocks` on gt_supervoxels. Each compare runs in one JVM with its \
                heap touched at start (`POCADUCK_JAVA_OPTS="-Xms2g -Xmx2g -XX:+AlwaysPreTouch"`). Requests and \
                bytes are per query: positional reads of the local files and the bytes they returned."""),
        S3("s3", "A local directory against s3://", false, """
                `scripts/s3-bench`: gt_supervoxels scanned with 2 workers into a local directory and into \
                `s3://` on the local S3 server of `scripts/s3-server` (s3proxy, its filesystem store, on \
                127.0.0.1), alternately each round; then `compare` of `points(label)` over 1,000 random labels \
                on both stores, `--warmup 200`, cache off. On S3 each read is an HTTP request to the server, so \
                the latency is the server's; opening a `Query` downloads the consolidated index into `cache_dir` \
                and builds its label directory once (the "open ms" column)."""),
        MIGRATE("migrate", "Migration and verification", false, """
                `pocaduck migrate --json` (default `--workers`) from stores the main job's scan wrote (default \
                options), each timed by `/usr/bin/time -v`: parquet-duckdb into `tabular` (a DuckDB file) for \
                gt_bodies and gt_supervoxels, and the original Python PoCADuck store of the shared data \
                (`pocaduck_python_store/unoptimized`) into parquet-duckdb; then `pocaduck verify` of the \
                gt_supervoxels pair. A migration's cost is per label read: many small labels migrate at the \
                speed of the source's `streamBlocks`."""),
        TABULAR_TRINO("tabular-trino", "Tabular on Trino with the Iceberg catalog", false, """
                `tabular` on the standalone Trino 476 of `scripts/trino-server`, catalog `iceberg` (Iceberg on \
                a file metastore in the server's local lake), workers staging Parquet files that one \
                `add_files` per commit registers ([tabular.md](tabular.md)); client and server share the \
                machine's 2 cores. Each run writes new tables: the scan of gt_bodies straight into the table \
                (`scan --workers 2`, label 0 skipped), the main job's gt_supervoxels store migrated into it \
                (`migrate`, default `--workers`) and `verify` of the pair, each timed by `/usr/bin/time -v`, \
                after one untimed pass of the same three (a Trino that has just started compiles its code \
                paths on its first queries: the scan took 17.8 s on a fresh server and about 6 s after); the \
                table gives the median of the rounds. \
                Then label reads of the first round's migrated store (`TabularLookups`, bench module), in one JVM: \
                `SELECT 1` on a plain JDBC connection to the same server (100 round trips), `points(label)` \
                of 200 random labels (one statement each), and `streamLabels` over 1,000 random labels and over \
                1,000 consecutive ones (one statement for the sizes, one for the points), 5 rounds each \
                after a warm-up."""),
        SCALE("scale", "Scale: a 1000^3 volume within a memory budget", false, """
                `scripts/scale-bench`: a 1000 x 1000 x 1000 volume built at run time from the real data (4 x 4 x 4 \
                tiles of 250^3 from gt_bodies, gt_supervoxels and overseg_supervoxels in turn, each tile's labels \
                offset by (tile + 1) x 2^40 so that tiles never merge), raw uint64 uncompressed (8 GB), scanned \
                with each `--max-memory` (2 workers, 64^3 blocks) under `/usr/bin/time -v`, then `compare` over \
                1,000 random labels of each result (cache off). Every budget gives exactly the labels and points \
                the three `label_stats.csv` predict (529,263 labels, 999,989,250 points). "RSS over the budget" \
                is the fixed overhead the budget does not scale ([memory.md](memory.md))."""),
        MANY_LABELS("many-labels", "A store of ten million labels", false, """
                `scripts/many-labels-bench`: a store of 10,153,000 labels built from the real data \
                (gt_supervoxels cut by an 8^3 grid into 406,120 labels, 25 copies side by side with labels offset \
                per copy: 390,625,000 points, 38 per label on average), scanned with the default `--max-memory` \
                1GiB; then opening it and a `Query` (`compare`, 1,000 random labels) and a whole `pocaduck count \
                LABEL` process (3 runs), each against the same on gt_bodies; then whole commands whose memory \
                must stay bounded however many labels a store holds: a consolidation, every label's summary \
                streamed, and an open that rebuilds the label directory."""),
        SPARK("spark", "The Spark job against the command line", false, """
                The OME-Zarr gt_bodies (250^3, label 0 kept: 15,625,000 points) into parquet-duckdb, the \
                variants alternately for 3 rounds: the Spark job's jar on Spark's own class path as \
                `spark-submit` starts it (`scripts/spark-scan-local ... --master local[2] --partitions 16`), and \
                the command line (`scripts/pocaduck scan --workers 2`, with and without the ahead-of-time \
                cache).""");

        final String id;
        final String title;
        /** True for the sections run by default (the JMH suite). */
        final boolean jmh;
        final String description;

        Section(String id, String title, boolean jmh, String description) {
            this.id = id;
            this.title = title;
            this.jmh = jmh;
            this.description = description;
        }

        /** @return the section's tables, from what its benchmark left in {@code input} */
        Body render(Path input) {
            Function<Path, Body> renderer = switch (this) {
                case BACKENDS -> dir -> Body.of(new BenchReport(JmhResults.readDirectory(dir)).markdown());
                case LATENCY -> dir -> Body.of(JmhSections.latency(dir));
                case LABEL_INDEX -> dir -> Body.of(JmhSections.labelIndex(dir));
                case VOLUMES -> dir -> Body.of(JmhSections.volumes(dir));
                case MAIN_JOB, SPARK -> dir -> Body.of(RunSections.scans(dir));
                case FORMATS -> dir -> Body.of(RunSections.formats(dir));
                case COMPARE -> dir -> RunSections.compares(dir, "compare");
                case S3 -> RunSections::s3;
                case MIGRATE -> dir -> Body.of(RunSections.migrations(dir));
                case TABULAR_TRINO -> dir -> Body.of(RunSections.tabularTrino(dir));
                case SCALE -> dir -> Body.of(RunSections.scale(dir));
                case MANY_LABELS -> dir -> Body.of(RunSections.manyLabels(dir));
            };
            return renderer.apply(input);
        }

        /**
         * @return the section of that name
         * @throws IllegalArgumentException naming the sections, if there is none
         */
        static Section of(String id) {
            return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Cannot write section '" + id
                            + "': expected one of " + Arrays.stream(values()).map(s -> s.id).toList()));
        }
    }

    /**
     * What a section was measured on.
     *
     * @param commit the commit of the build measured (short hash)
     * @param uncommitted true if the working tree had uncommitted changes
     * @param date the day of the run, UTC (yyyy-mm-dd)
     * @param jdk the JDK that ran it
     * @param cpus processors
     * @param cpuModel the processor model
     * @param memoryBytes the machine's memory
     * @param load the 1-minute load average at the start
     * @param command the exact command line
     * @param seconds how long the section took
     * @param quick true for a run with the shortest iterations, which checks the harness only
     */
    record Stamp(String commit, boolean uncommitted, String date, String jdk, int cpus, String cpuModel,
            long memoryBytes, String load, String command, long seconds, boolean quick) {
        /**
         * @return the stamp in a properties file as scripts/bench writes it
         * @throws UncheckedIOException if it cannot be read
         */
        static Stamp read(Path file) {
            Properties p = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                p.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the stamp " + file, e);
            }
            return new Stamp(p.getProperty("commit", "unknown"), Boolean.parseBoolean(p.getProperty("uncommitted")),
                    p.getProperty("date", "unknown"), p.getProperty("jdk", "unknown"),
                    Integer.parseInt(p.getProperty("cpus", "0")), p.getProperty("cpu_model", "unknown"),
                    Long.parseLong(p.getProperty("memory_bytes", "0")), p.getProperty("load", "unknown"),
                    p.getProperty("command", "scripts/bench"), Long.parseLong(p.getProperty("seconds", "0")),
                    Boolean.parseBoolean(p.getProperty("quick")));
        }

        /** @return the stamp as a quoted Markdown paragraph */
        String markdown() {
            String text = String.format(Locale.ROOT, "> Measured by `%s` at commit `%s`%s on %s (UTC), in %d s: "
                            + "JDK %s, %d CPUs (%s), %.1f GiB of memory, load average %s at the start.",
                    command, commit, uncommitted ? " with uncommitted changes" : "", date, seconds, jdk, cpus, cpuModel,
                    memoryBytes / (double) (1L << 30), load);
            if (quick) {
                text += "\n> **Quick run** (`--quick`: the shortest iterations, one round): it checks that the "
                        + "harness works; its figures are not measurements to quote or compare.";
            }
            return text + "\n";
        }
    }

    private static final String INTRO = """
            # Performance

            Written by `scripts/bench`; do not edit it by hand. Each section is one benchmark, refreshed on its \
            own with `scripts/bench --only NAME` and stamped with the build it measured, the machine and the \
            exact command; refreshing one section leaves the others as they were, with their own stamps. \
            Compare figures within a section (one build, one machine, one run), not across sections or stamps: \
            the machines are shared, and short runs move by tens of percent. `scripts/bench --help` lists the \
            sections and options; what each measures is said at its head.

            """;

    private static final Pattern BLOCK = Pattern.compile(
            "(?s)<!-- bench:section ([a-z0-9-]+) -->\\n(.*?)<!-- bench:end \\1 -->\\n?");

    private PerformancePage() {
    }

    public static void main(String[] args) {
        if (args.length == 2 && args[1].equals("-")) {
            write(Path.of(args[0]), null, null, null);
            return;
        }
        if (args.length != 4) {
            System.err.println("usage: PerformancePage <page.md> <section> <input-dir> <stamp.properties>"
                    + " | PerformancePage <page.md> -");
            System.exit(2);
        }
        write(Path.of(args[0]), Section.of(args[1]), Path.of(args[2]), Stamp.read(Path.of(args[3])));
    }

    /**
     * Writes the page: the given section rendered anew (if any), every other section as the page
     * held it, or a placeholder for one never measured.
     *
     * @param page the page's file (created if missing)
     * @param section the section refreshed, or null for none
     * @param input what its benchmark left (null with no section)
     * @param stamp what it was measured on (null with no section)
     * @throws IllegalStateException if the section rendered no table (its benchmark left no results)
     * @throws UncheckedIOException if the page or a figure cannot be written
     */
    static void write(Path page, Section section, Path input, Stamp stamp) {
        Map<String, String> blocks = new LinkedHashMap<>();
        try {
            if (Files.exists(page)) {
                Matcher m = BLOCK.matcher(Files.readString(page));
                while (m.find()) {
                    blocks.put(m.group(1), m.group(2));
                }
            }
            if (section != null) {
                Body body = section.render(input);
                if (body.markdown().isBlank()) {
                    throw new IllegalStateException("Cannot write section '" + section.id + "': " + input
                            + " holds no results of its benchmark");
                }
                Path figures = page.toAbsolutePath().getParent().resolve("figures");
                for (Map.Entry<String, Path> figure : body.figures().entrySet()) {
                    Files.createDirectories(figures);
                    Files.copy(figure.getValue(), figures.resolve(figure.getKey()), StandardCopyOption.REPLACE_EXISTING);
                }
                blocks.put(section.id, block(section, stamp, body.markdown()));
            }
            StringBuilder md = new StringBuilder(INTRO);
            Markdown contents = new Markdown("section", "state", "refresh with");
            for (Section s : Section.values()) {
                contents.row("[" + s.title + "](#" + anchor(s.title) + ")", blocks.containsKey(s.id) ? "measured"
                        : "not measured yet", "`scripts/bench --only " + s.id + "`");
            }
            md.append(contents).append('\n');
            for (Section s : Section.values()) {
                String block = blocks.getOrDefault(s.id, "## " + s.title + "\n\nNot measured yet: `scripts/bench --only "
                        + s.id + "`.\n\n");
                md.append("<!-- bench:section ").append(s.id).append(" -->\n").append(block)
                        .append("<!-- bench:end ").append(s.id).append(" -->\n\n");
            }
            Files.createDirectories(page.toAbsolutePath().getParent());
            Files.writeString(page, md.toString().stripTrailing() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the performance page " + page, e);
        }
    }

    private static String block(Section section, Stamp stamp, String tables) {
        return "## " + section.title + "\n\n" + stamp.markdown() + "\n" + section.description.strip() + "\n\n"
                + tables.strip() + "\n\n";
    }

    /** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }
}
