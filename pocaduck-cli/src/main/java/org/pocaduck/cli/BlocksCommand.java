package org.pocaduck.cli;

import java.io.PrintWriter;
import java.util.List;
import org.pocaduck.Query;
import org.pocaduck.Store;
import org.pocaduck.Timed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pocaduck blocks LABEL}: the ids of the blocks holding the label. */
@Command(name = "blocks", mixinStandardHelpOptions = true,
        description = "Prints the ids of the blocks holding one label, one per line (none for an unknown label).")
final class BlocksCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "LABEL", converter = LabelConverter.class,
            description = "The label, an unsigned 64-bit decimal.")
    long label;

    @Override
    int run(Store store, Query query) {
        Timed<List<String>> blocks = query.blocksTimed(label);
        PrintWriter out = out();
        for (String block : blocks.result()) {
            out.println(block);
        }
        out.flush();
        timing(blocks.timing());
        return 0;
    }
}
