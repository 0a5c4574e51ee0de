package org.pocaduck.options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pocaduck.PointSchema;
import org.pocaduck.StorageConfig;
import org.pocaduck.scan.Scanner;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What to scan, taken the same way by {@code pocaduck scan} and the Spark job's main class: the
 * volume, its format and options, attribute volumes, block size, background, and the memory
 * budget. A picocli mixin; not thread-safe.
 */
public final class ScanOptions {
    @Parameters(index = "0", paramLabel = "VOLUME", description = "The label volume (e.g. *.u64.raw.gz with its .json sidecar).")
    private Path volume;

    @Option(names = "--volume-format", paramLabel = "NAME", description = "Force the volume format (default: detect).")
    private String volumeFormat;

    @Option(names = "--volume-option", paramLabel = "KEY=VALUE", description = "An option of the volume format (repeatable).")
    private Map<String, String> volumeOptions = new LinkedHashMap<>();

    @Option(names = "--attribute", paramLabel = "NAME=PATH",
            description = "A volume on the same grid whose value at each voxel becomes dimension NAME (repeatable, in order).")
    private Map<String, Path> attributes = new LinkedHashMap<>();

    @Option(names = "--block-size", paramLabel = "N|X,Y,Z", defaultValue = "64",
            description = "Block size in voxels: one size for all axes or x,y,z (default: ${DEFAULT-VALUE}).")
    private String blockSize;

    @Option(names = "--keep-background", description = "Also store label 0 (skipped by default).")
    private boolean keepBackground;

    @Mixin
    private MemoryOptions memory;

    /** @return the label volume's path as given */
    public Path volume() {
        return volume;
    }

    /** @return the volume format to force, or empty to detect */
    public Optional<String> format() {
        return Optional.ofNullable(volumeFormat);
    }

    /** @return the volume format's options */
    public Map<String, String> formatOptions() {
        return Map.copyOf(volumeOptions);
    }

    /**
     * @return the block size in voxels, x, y, z
     * @throws IllegalArgumentException if {@code --block-size} is not one or three whole numbers of at least 1
     */
    public int[] blockSize() {
        return parseBlockSize(blockSize);
    }

    /** @return true if label 0 is stored too */
    public boolean keepBackground() {
        return keepBackground;
    }

    /** @return the memory budget, bytes */
    public long maxMemory() {
        return memory.maxMemory();
    }

    /** @return the memory options */
    public MemoryOptions memory() {
        return memory;
    }

    /** @return the attribute volumes, in dimension order */
    public List<Scanner.Attribute> attributes() {
        List<Scanner.Attribute> list = new ArrayList<>();
        attributes.forEach((name, path) -> list.add(new Scanner.Attribute(name, path)));
        return list;
    }

    /** @return the points' dimensions: x, y, z, then the attribute names */
    public PointSchema schema() {
        return Scanner.schema(attributes());
    }

    /**
     * @return what to scan, as the scanner takes it (the Spark job's request holds it too)
     * @throws IllegalArgumentException naming the value and the rule, if an option breaks it
     */
    public Scanner.Spec spec() {
        int[] block = blockSize();
        return new Scanner.Spec(volume, format(), volumeOptions, attributes(), block[0], block[1], block[2],
                keepBackground, memory.maxMemory());
    }

    /**
     * @param threads worker threads in this process
     * @param workerIndex this process's share
     * @param workerCount how many shares
     * @param runName the first part of every worker id
     * @return the scanner's settings: {@link #spec()} shared out among these threads and workers
     * @throws IllegalArgumentException naming the value and the rule, if an option breaks it
     */
    public Scanner.Settings settings(int threads, int workerIndex, int workerCount, String runName) {
        return new Scanner.Settings(spec(), threads, workerIndex, workerCount, runName);
    }

    /**
     * The store settings with this scan's schema: the schema the store declares, if any, must be
     * the scan's.
     *
     * @param storage the storage options
     * @return the settings with {@code dimensions} set to {@link #schema()}
     * @throws IllegalArgumentException if the store declares other dimensions (both named)
     * @throws org.pocaduck.ConfigurationException if the storage options are invalid
     */
    public StorageConfig storeConfig(StorageOptions storage) {
        return Scanner.withScanSchema(storage.toConfig(), attributes());
    }

    static int[] parseBlockSize(String text) {
        String[] parts = text.strip().split(",", -1);
        if (parts.length != 1 && parts.length != 3) {
            throw new IllegalArgumentException("Cannot use --block-size '" + text + "': give one size or x,y,z");
        }
        int[] sizes = new int[3];
        for (int i = 0; i < 3; i++) {
            String part = parts[parts.length == 1 ? 0 : i].strip();
            try {
                sizes[i] = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Cannot use --block-size '" + text + "': '" + part
                        + "' is not a whole number of voxels");
            }
            if (sizes[i] < 1) {
                throw new IllegalArgumentException("Cannot use --block-size '" + text + "': sizes must be at least 1");
            }
        }
        return sizes;
    }
}
