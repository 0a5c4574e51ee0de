package org.pocaduck.cli;

import java.io.PrintWriter;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.Query;
import org.pocaduck.QueryTiming;
import org.pocaduck.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pocaduck labels}: every label, one per line, in unsigned order; with {@code --counts},
 * CSV with each label's point and block counts. Streams the store's label index, so memory is
 * bounded however many labels the store holds.
 */
@Command(name = "labels", mixinStandardHelpOptions = true,
        description = {"Prints every label of the store, one per line, as unsigned 64-bit decimals in unsigned order.",
                "Streams the label index: memory stays bounded however many labels the store holds."})
final class LabelsCommand extends StoreCommand {
    @Option(names = "--counts", description = "Print CSV with the header label,point_count,block_count instead: "
            + "each label's points and distinct blocks.")
    boolean counts;

    @Override
    int run(Store store, Query query) {
        PrintWriter out = out();
        StringBuilder text = new StringBuilder();
        if (counts) {
            text.append("label,point_count,block_count\n");
        }
        QueryTiming timing;
        try (LabelSummaries summaries = query.labelSummaries()) {
            while (summaries.hasNext()) {
                LabelSummary summary = summaries.next();
                text.append(Labels.format(summary.label()));
                if (counts) {
                    text.append(',').append(summary.pointCount()).append(',').append(summary.blockCount());
                }
                text.append('\n');
                if (text.length() > 1 << 16) {
                    out.print(text);
                    text.setLength(0);
                }
            }
            timing = summaries.timing();
        }
        out.print(text);
        out.flush();
        timing(timing);
        return 0;
    }
}
