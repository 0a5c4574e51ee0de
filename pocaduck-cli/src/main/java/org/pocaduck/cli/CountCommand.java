package org.pocaduck.cli;

import org.pocaduck.Query;
import org.pocaduck.Store;
import org.pocaduck.Timed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pocaduck count LABEL}: the label's number of points. */
@Command(name = "count", mixinStandardHelpOptions = true,
        description = "Prints the number of points of one label (0 for an unknown label).")
final class CountCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "LABEL", converter = LabelConverter.class,
            description = "The label, an unsigned 64-bit decimal.")
    long label;

    @Override
    int run(Store store, Query query) {
        Timed<Long> count = query.pointCountTimed(label);
        out().println(count.result());
        out().flush();
        timing(count.timing());
        return 0;
    }
}
