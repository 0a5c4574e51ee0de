package org.pocaduck.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pocaduck.LabelSelection;
import org.pocaduck.Labels;
import org.pocaduck.migrate.LabelMismatch;
import org.pocaduck.migrate.Verification;
import org.pocaduck.migrate.VerificationResult;
import org.pocaduck.options.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pocaduck verify}: compares two stores label by label with {@link Verification}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Compares two stores label by label: point count, block ids and an order-independent checksum"
                + " of the points of every label, on both sides.",
            "Prints the labels that differ (the first --max-reported of them) and exits with 1 if any do."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--store", required = true, paramLabel = "STORE",
            description = "A store (give exactly two: A, then B): a store.properties file or TYPE:LOCATION[,key=value...].")
    List<String> stores = new ArrayList<>();

    @Option(names = "--workers", paramLabel = "N", description = "Threads reading labels (default: the number of processors).")
    Integer workers;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Compare only these labels: one unsigned decimal label per line, '#' comments.")
    Path labels;

    @Option(names = "--max-reported", paramLabel = "N", defaultValue = "" + Verification.DEFAULT_MAX_REPORTED,
            description = "Mismatching labels to print (default ${DEFAULT-VALUE}); the count is always exact.")
    int maxReported;

    @Option(names = "--json", description = "Print the result as JSON (for scripts).")
    boolean json;

    @Override
    public Integer call() {
        if (stores.size() != 2) {
            throw new ParameterException(spec.commandLine(), "Cannot verify: give exactly two --store options, not "
                    + stores.size());
        }
        Verification verification = Verification.between(StoreSpec.parse(stores.get(0)).config(),
                StoreSpec.parse(stores.get(1)).config()).maxReported(maxReported);
        if (workers != null) {
            verification.workers(workers);
        }
        if (labels != null) {
            verification.labels(LabelSelection.read(labels));
        }
        VerificationResult result = verification.run();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Output.json(out, summary(result));
        } else {
            print(out, result);
        }
        out.flush();
        return result.clean() ? 0 : 1;
    }

    static Map<String, Object> summary(VerificationResult result) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("a", result.a());
        summary.put("b", result.b());
        summary.put("labels", result.labels());
        summary.put("points", result.points());
        summary.put("mismatches", result.mismatchCount());
        List<Map<String, String>> listed = new ArrayList<>();
        for (LabelMismatch mismatch : result.mismatches()) {
            listed.add(Map.of("label", Labels.format(mismatch.label()), "difference", mismatch.difference()));
        }
        summary.put("mismatching_labels", listed);
        summary.put("seconds", Math.round(result.seconds() * 1000) / 1000.0);
        return summary;
    }

    static void print(PrintWriter out, VerificationResult result) {
        out.printf(Locale.ROOT, "Verified A = %s against B = %s%n", result.a(), result.b());
        out.printf(Locale.ROOT, "  labels:       %,d%n", result.labels());
        out.printf(Locale.ROOT, "  points:       %,d (read on each side)%n", result.points());
        out.printf(Locale.ROOT, "  mismatches:   %,d%n", result.mismatchCount());
        out.printf(Locale.ROOT, "  seconds:      %.3f%n", result.seconds());
        for (LabelMismatch mismatch : result.mismatches()) {
            out.println("  mismatch " + mismatch);
        }
        if (result.mismatchCount() > result.mismatches().size()) {
            out.printf(Locale.ROOT, "  ... and %,d more%n", result.mismatchCount() - result.mismatches().size());
        }
    }
}
