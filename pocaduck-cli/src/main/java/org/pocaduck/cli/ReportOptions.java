package org.pocaduck.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Option;

/**
 * How a long-running command reports ({@code scan}, {@code migrate}): a progress bar on standard
 * error and a summary on standard output, {@code --quiet} for neither, {@code --json} for the
 * summary as JSON without a bar. A picocli mixin.
 */
final class ReportOptions {
    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary (unless --json).")
    boolean quiet;

    @Option(names = "--json", description = "Print the summary as JSON, without a progress bar (for scripts).")
    boolean json;

    /** @return true if the command shows a progress bar */
    boolean progress() {
        return !quiet && !json;
    }

    /** @return true if the command prints its summary (as text, or as JSON with {@code --json}) */
    boolean summary() {
        return !quiet || json;
    }

    /**
     * @param task the bar's name
     * @param max the work in units
     * @param unit the unit's name, with a leading space
     * @param unitSize how many counted items one unit is
     * @param speed true to show units per second
     * @return an ASCII bar on standard error, redrawn every 250 ms; the caller closes it
     */
    static ProgressBar bar(String task, long max, String unit, long unitSize, boolean speed) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setUnit(unit, unitSize)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err));
        if (speed) {
            builder.showSpeed();
        }
        return builder.build();
    }
}
