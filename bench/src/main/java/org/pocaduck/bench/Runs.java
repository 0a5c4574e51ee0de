package org.pocaduck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Timed command runs as the bench scripts leave them: for each run {@code <variant>.<round>.json},
 * the command's {@code --json} summary, and {@code <variant>.<round>.time}, the output of
 * {@code /usr/bin/time -v} followed by a line {@code Load average: L} (the load before the run).
 */
final class Runs {
    /**
     * One timed run.
     *
     * @param variant what ran (a name the script chose)
     * @param round the round, from 1
     * @param summary the command's JSON summary (a missing node if it printed none)
     * @param wallSeconds elapsed seconds, JVM start included
     * @param userSeconds CPU seconds in user mode
     * @param systemSeconds CPU seconds in the kernel
     * @param maxRssBytes peak resident set size
     * @param load the 1-minute load average before the run, or NaN
     */
    record Run(String variant, int round, JsonNode summary, double wallSeconds, double userSeconds,
            double systemSeconds, long maxRssBytes, double load) {
        /** @return a number of the summary, or NaN if absent */
        double number(String field) {
            JsonNode node = summary.path(field);
            return node.isNumber() ? node.asDouble() : Double.NaN;
        }
    }

    private static final Pattern NAME = Pattern.compile("(.+)\\.(\\d+)\\.time");

    private Runs() {
    }

    /**
     * @return the runs in a directory by variant, variants in the order of their first run's
     *     file time, each variant's runs by round; empty if the directory does not exist
     * @throws UncheckedIOException if a file cannot be read
     */
    static Map<String, List<Run>> read(Path directory) {
        Map<String, List<Run>> byVariant = new LinkedHashMap<>();
        if (!Files.isDirectory(directory)) {
            return byVariant;
        }
        List<Path> times;
        try (Stream<Path> files = Files.list(directory)) {
            times = files.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(Runs::modified).thenComparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the runs in " + directory, e);
        }
        for (Path time : times) {
            Matcher m = NAME.matcher(time.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            Run run = run(m.group(1), Integer.parseInt(m.group(2)), time,
                    directory.resolve(m.group(1) + "." + m.group(2) + ".json"));
            byVariant.computeIfAbsent(run.variant(), v -> new ArrayList<>()).add(run);
        }
        byVariant.values().forEach(list -> list.sort(Comparator.comparingInt(Run::round)));
        return byVariant;
    }

    static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the time of " + file, e);
        }
    }

    private static Run run(String variant, int round, Path time, Path json) {
        String text;
        JsonNode summary;
        try {
            text = Files.readString(time);
            summary = Files.exists(json) && Files.size(json) > 0 ? new ObjectMapper().readTree(json.toFile())
                    : new ObjectMapper().missingNode();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the run " + time, e);
        }
        return new Run(variant, round, summary, wallSeconds(text), number(text, "User time \\(seconds\\)"),
                number(text, "System time \\(seconds\\)"),
                Math.round(number(text, "Maximum resident set size \\(kbytes\\)") * 1024),
                number(text, "Load average"));
    }

    /** @return the value after "NAME: " in time -v output, or NaN */
    private static double number(String text, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + name + ":\\s*([0-9.]+)").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** time -v prints "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.33". */
    static double wallSeconds(String text) {
        Matcher m = Pattern.compile("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\):\\s*([0-9:.]+)").matcher(text);
        if (!m.find()) {
            return Double.NaN;
        }
        double seconds = 0;
        for (String part : m.group(1).split(":")) {
            seconds = seconds * 60 + Double.parseDouble(part);
        }
        return seconds;
    }

    /** @return the values of one measure over runs, NaNs left out */
    static List<Double> values(List<Run> runs, java.util.function.ToDoubleFunction<Run> measure) {
        List<Double> values = new ArrayList<>();
        for (Run run : runs) {
            double v = measure.applyAsDouble(run);
            if (!Double.isNaN(v)) {
                values.add(v);
            }
        }
        return values;
    }

    /** @return the median of one measure over runs, if any run has it */
    static OptionalDouble median(List<Run> runs, java.util.function.ToDoubleFunction<Run> measure) {
        List<Double> values = values(runs, measure);
        return values.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Markdown.median(values));
    }
}
