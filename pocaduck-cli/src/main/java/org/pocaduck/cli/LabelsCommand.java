package org.pocaduck.cli;

import java.io.PrintWriter;
import org.pocaduck.Labels;
import org.pocaduck.Query;
import org.pocaduck.Store;
import org.pocaduck.Timed;
import picocli.CommandLine.Command;

/** {@code pocaduck labels}: every label, one per line, in unsigned order. */
@Command(name = "labels", mixinStandardHelpOptions = true,
        description = "Prints every label of the store, one per line, as unsigned 64-bit decimals in unsigned order.")
final class LabelsCommand extends StoreCommand {
    @Override
    int run(Store store, Query query) {
        Timed<long[]> labels = query.labelsTimed();
        PrintWriter out = out();
        StringBuilder text = new StringBuilder();
        for (long label : labels.result()) {
            text.append(Labels.format(label)).append('\n');
            if (text.length() > 1 << 16) {
                out.print(text);
                text.setLength(0);
            }
        }
        out.print(text);
        out.flush();
        timing(labels.timing());
        return 0;
    }
}
