package org.pocaduck.migrate;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.pocaduck.LabelSelection;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.Query;

/**
 * The labels of one migration cut into shares: contiguous runs of the source's label index
 * (unsigned order), each closed once it holds at least the share size in points, so a label is
 * never split. The same source index, label selection and share size give the same shares and
 * the same fingerprint, whatever the number of threads: that is what makes a rerun resume.
 *
 * <p>The label list lives in a temporary file of 8 bytes per label (big-endian), not in memory;
 * each share is a range of it. Thread-safe once built; the owner deletes it with {@link #close()}.
 */
final class MigrationPlan implements AutoCloseable {
    private final Path labelFile;
    private final long[] shareStart;
    private final long[] shareLabels;
    private final long[] sharePoints;
    private final long labels;
    private final long points;
    private final long blocks;
    private final String fingerprint;

    private MigrationPlan(Path labelFile, List<long[]> shares, long labels, long points, long blocks,
            String fingerprint) {
        this.labelFile = labelFile;
        this.shareStart = new long[shares.size()];
        this.shareLabels = new long[shares.size()];
        this.sharePoints = new long[shares.size()];
        for (int i = 0; i < shares.size(); i++) {
            shareStart[i] = shares.get(i)[0];
            shareLabels[i] = shares.get(i)[1];
            sharePoints[i] = shares.get(i)[2];
        }
        this.labels = labels;
        this.points = points;
        this.blocks = blocks;
        this.fingerprint = fingerprint;
    }

    /**
     * Streams the source's label index once.
     *
     * @param selection the labels to migrate, or empty for all
     * @param sharePoints the share size in points, at least 1
     * @param tempDir where the label file goes
     * @throws IllegalArgumentException if a selected label is not in the source (naming up to ten)
     */
    static MigrationPlan build(Query source, Optional<LabelSelection.Listed> selection, long sharePoints, Path tempDir) {
        Path file;
        try {
            file = Files.createTempFile(tempDir, "pocaduck-migration-", ".labels");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the migration's label file in " + tempDir + ": "
                    + e.getMessage(), e);
        }
        Hasher digest = Hashing.murmur3_128().newHasher();
        digest.putLong(sharePoints);
        List<long[]> shares = new ArrayList<>();
        long labels = 0;
        long points = 0;
        long blocks = 0;
        long start = 0;
        long inShareLabels = 0;
        long inSharePoints = 0;
        BitSet found = new BitSet();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
                LabelSummaries summaries = source.labelSummaries()) {
            while (summaries.hasNext()) {
                LabelSummary summary = summaries.next();
                if (selection.isPresent()) {
                    int index = selection.get().indexOf(summary.label());
                    if (index < 0) {
                        continue;
                    }
                    found.set(index);
                }
                out.writeLong(summary.label());
                digest.putLong(summary.label()).putLong(summary.pointCount()).putInt(summary.blockCount());
                labels++;
                points += summary.pointCount();
                blocks += summary.blockCount();
                inShareLabels++;
                inSharePoints += summary.pointCount();
                if (inSharePoints >= sharePoints) {
                    shares.add(new long[] {start, inShareLabels, inSharePoints});
                    start = labels;
                    inShareLabels = 0;
                    inSharePoints = 0;
                }
            }
            if (inShareLabels > 0) {
                shares.add(new long[] {start, inShareLabels, inSharePoints});
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot write the migration's label file " + file + ": "
                        + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        if (selection.isPresent() && found.cardinality() < selection.get().size()) {
            deleteQuietly(file);
            List<String> missing = new ArrayList<>();
            for (int i = found.nextClearBit(0); i < selection.get().size() && missing.size() < 10;
                    i = found.nextClearBit(i + 1)) {
                missing.add(Labels.format(selection.get().label(i)));
            }
            throw new IllegalArgumentException("Cannot migrate the selected labels: "
                    + (selection.get().size() - found.cardinality()) + " of the " + selection.get().size()
                    + " are not in the source store (for example " + String.join(", ", missing)
                    + "); nothing was written");
        }
        String fingerprint = digest.hash().toString().substring(0, 12);
        return new MigrationPlan(file, shares, labels, points, blocks, fingerprint);
    }

    /** @return the number of shares */
    int shares() {
        return shareStart.length;
    }

    long labels() {
        return labels;
    }

    long points() {
        return points;
    }

    long blocks() {
        return blocks;
    }

    long shareLabels(int share) {
        return shareLabels[share];
    }

    long sharePoints(int share) {
        return sharePoints[share];
    }

    /**
     * @return 12 hex digits identifying the source index, the selection and the share size: part
     *     of every worker id the migration writes
     */
    String fingerprint() {
        return fingerprint;
    }

    /** @return the labels of one share, in unsigned order, read from the label file */
    long[] labelsOf(int share) {
        long count = shareLabels[share];
        if (count > Integer.MAX_VALUE / 8) {
            throw new IllegalStateException("Cannot read share " + share + ": " + count
                    + " labels is more than one array holds; use a smaller share size");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) count * 8);
        try (FileChannel channel = FileChannel.open(labelFile, StandardOpenOption.READ)) {
            long position = shareStart[share] * 8;
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new IOException("the file ends before label " + (shareStart[share] + count));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read share " + share + " from the migration's label file "
                    + labelFile + ": " + e.getMessage(), e);
        }
        buffer.flip();
        long[] result = new long[(int) count];
        buffer.asLongBuffer().get(result);
        return result;
    }

    @Override
    public void close() {
        deleteQuietly(labelFile);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temporary file is harmless; the next migration writes its own.
        }
    }

    @Override
    public String toString() {
        return "MigrationPlan[" + labels + " labels, " + points + " points, " + shares() + " shares, fingerprint "
                + fingerprint + "]";
    }
}
