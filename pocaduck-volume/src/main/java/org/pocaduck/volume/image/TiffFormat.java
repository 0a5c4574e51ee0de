package org.pocaduck.volume.image;

import com.google.auto.service.AutoService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageReader;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeFormat;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.internal.Checks;
import org.pocaduck.volume.internal.Detection;

/**
 * Multi-page TIFF files ({@code tiff}): page index = z, row = y, column = x. Pages are
 * single-band 8-, 16- or 32-bit grayscale (see {@link Slices}), all of one size, striped or tiled,
 * either byte order, with any compression the readers decode (none, LZW, deflate/zlib, PackBits).
 * Classic TIFF is read with the JDK's ImageIO TIFF plugin, BigTIFF with TwelveMonkeys
 * imageio-tiff (whole pages: see {@link Slices}). No options.
 *
 * <p>Recognises regular files named {@code *.tif} or {@code *.tiff}, or starting with a TIFF
 * header ({@code II*\0} or {@code MM\0*}, TIFF 6.0 section 2; BigTIFF {@code II+\0} or
 * {@code MM\0+}). Thread-safe.
 */
@AutoService(VolumeFormat.class)
public final class TiffFormat implements VolumeFormat {
    /** The format's name. */
    public static final String NAME = "tiff";
    private static final byte[] LITTLE = {'I', 'I', 42, 0};
    private static final byte[] BIG = {'M', 'M', 0, 42};
    private static final byte[] BIGTIFF_LITTLE = {'I', 'I', 43, 0};
    private static final byte[] BIGTIFF_BIG = {'M', 'M', 0, 43};

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognizes(Path path) {
        return Detection.regularFileMatches(path, List.of(".tif", ".tiff"), List.of(LITTLE, BIG, BIGTIFF_LITTLE, BIGTIFF_BIG));
    }

    /**
     * Opens a multi-page TIFF.
     *
     * @throws VolumeException if the file is not a readable TIFF, or its first page is not a
     *     single-band integer image
     */
    @Override
    public VolumeSource open(Path path, Map<String, String> options) {
        Objects.requireNonNull(path, "path is null");
        Checks.requireKnownOptions(options, Set.of(), NAME, path);
        if (!Files.isRegularFile(path)) {
            throw new VolumeException("Cannot open volume " + path + " as TIFF: not a regular file");
        }
        ImageReader reader = Slices.open(path);
        try {
            int pages;
            try {
                pages = reader.getNumImages(true);
            } catch (IOException | RuntimeException e) {
                throw new VolumeException("Cannot open volume " + path + " as TIFF: " + e.getMessage(), e);
            }
            if (pages < 1) {
                throw new VolumeException("Cannot open volume " + path + " as TIFF: it has no pages");
            }
            return new TiffVolume(path, reader, pages, Slices.header(reader, 0, path));
        } catch (RuntimeException e) {
            Slices.close(reader);
            throw e;
        }
    }
}
