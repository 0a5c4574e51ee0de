package org.pocaduck.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;

/**
 * Scanning the neuroproof volumes through every volume reader (HDF5 originals, OME-Zarr,
 * Zarr v3, multi-page TIFF, PNG stack) gives, for every label, exactly the voxel_count and
 * blocks64 of the volume's label_stats.csv.
 */
class TestScanVolumeFormats {
    @TempDir
    Path tempDir;

    private static LabelStats stats(String name) {
        return LabelStats.read(SharedData.resolve("neuroproof_ts2/" + name + ".label_stats.csv"));
    }

    private Path gunzip(String relative) throws IOException {
        Path target = tempDir.resolve(Path.of(relative).getFileName().toString().replaceFirst("\\.gz$", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SharedData.resolve(relative)))) {
            Files.copy(in, target);
        }
        return target;
    }

    @Test
    void hdf5GroundTruthStackIsTheSupervoxelVolume() throws IOException {
        ScanChecks.assertScanMatches(tempDir, gunzip("neuroproof_ts2/original/groundtruth.h5.gz"), stats("gt_supervoxels"));
    }

    @Test
    void hdf5OversegmentationIsTheOversegVolume() throws IOException {
        ScanChecks.assertScanMatches(tempDir, gunzip("neuroproof_ts2/original/oversegmented_stack_labels.h5.gz"),
                stats("overseg_supervoxels"), "--volume-option", "dataset=/stack");
    }

    @Test
    void omeZarrScaleZeroIsTheBodyVolume() {
        ScanChecks.assertScanMatches(tempDir, SharedData.resolve("formats/gt_bodies.ome.zarr"), stats("gt_bodies"));
    }

    @Test
    void zarrV3IsTheSupervoxelVolume() {
        ScanChecks.assertScanMatches(tempDir, SharedData.resolve("formats/gt_supervoxels.zarr"), stats("gt_supervoxels"));
    }

    @Test
    void multiPageTiffIsTheOversegVolume() {
        ScanChecks.assertScanMatches(tempDir, SharedData.resolve("formats/overseg_supervoxels.tif"), stats("overseg_supervoxels"));
    }

    @Test
    void pngStackIsTheOversegVolume() {
        ScanChecks.assertScanMatches(tempDir, SharedData.resolve("formats/overseg_supervoxels_png"), stats("overseg_supervoxels"),
                "--volume-format", "image-stack");
    }
}
