package org.pocaduck.volume.image;

import com.google.auto.service.AutoService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageReader;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeFormat;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.internal.Checks;

/**
 * A directory of 2D images, one per z slice ({@code image-stack}): every {@code *.png},
 * {@code *.tif} and {@code *.tiff} file in it (not in subdirectories), ordered by file name with
 * digit runs compared as numbers ({@code z2.png} before {@code z10.png}; zero-padded names sort
 * the same either way) = z order; row = y, column = x. Images are single-band 8- or 16-bit
 * grayscale PNG, or TIFF (first page), read with ImageIO (see {@link Slices}); all of one size.
 * No options.
 *
 * <p>Recognises directories holding at least one such file. Thread-safe.
 */
@AutoService(VolumeFormat.class)
public final class ImageStackFormat implements VolumeFormat {
    /** The format's name. */
    public static final String NAME = "image-stack";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognizes(Path path) {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.anyMatch(ImageStackFormat::isSlice);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Opens a stack.
     *
     * @throws VolumeException if the directory holds no images or its first image is not a
     *     single-band integer image
     */
    @Override
    public VolumeSource open(Path path, Map<String, String> options) {
        Objects.requireNonNull(path, "path is null");
        Checks.requireKnownOptions(options, Set.of(), NAME, path);
        List<Path> slices;
        try (Stream<Path> files = Files.list(path)) {
            slices = files.filter(ImageStackFormat::isSlice)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString(), ImageStackFormat::compareNatural))
                    .toList();
        } catch (IOException e) {
            throw new VolumeException("Cannot open volume " + path + " as an image stack: " + e, e);
        }
        if (slices.isEmpty()) {
            throw new VolumeException("Cannot open volume " + path + " as an image stack: it holds no *.png, *.tif or"
                    + " *.tiff files");
        }
        ImageReader reader = Slices.open(slices.getFirst());
        try {
            return new ImageStackVolume(path, slices, Slices.header(reader, 0, slices.getFirst()));
        } finally {
            Slices.close(reader);
        }
    }

    private static boolean isSlice(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return (name.endsWith(".png") || name.endsWith(".tif") || name.endsWith(".tiff")) && !name.startsWith(".")
                && Files.isRegularFile(file);
    }

    /** Compares names with runs of digits compared by value. */
    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int ei = i;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                String da = a.substring(i, ei).replaceFirst("^0+(?=.)", "");
                String db = b.substring(j, ej).replaceFirst("^0+(?=.)", "");
                int c = da.length() != db.length() ? Integer.compare(da.length(), db.length()) : da.compareTo(db);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }
}
