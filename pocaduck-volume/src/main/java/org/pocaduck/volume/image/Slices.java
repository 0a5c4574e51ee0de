package org.pocaduck.volume.image;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeException;

/**
 * Reads 2D grayscale label images (one z slice each) through ImageIO: 8-bit, 16-bit and 32-bit
 * single-band images, samples taken as unsigned, 32-bit ones included (an indexed-colour image gives its palette
 * indices); signed 16-bit images must hold no negative value. Stateless, thread-safe.
 */
final class Slices {
    /**
     * TwelveMonkeys' TIFF reader reads BigTIFF, which the JDK's does not; but in 3.12.0 it fails
     * on a source region of a tiled page, so it is used only where the JDK has no reader, and then
     * reads whole pages.
     */
    private static final String TWELVEMONKEYS = "com.twelvemonkeys.";
    private Slices() {
    }

    /** The size and element type of one image. */
    record Header(int width, int height, String dtype) {
    }

    /**
     * Opens an ImageIO reader on a file: the JDK's (PNG, TIFF) where it decodes the file, else
     * TwelveMonkeys' (BigTIFF).
     *
     * @return the reader with its input set; the caller disposes of it and closes its stream
     * @throws VolumeException if the file cannot be opened or no reader decodes it
     */
    static ImageReader open(Path file) {
        ImageInputStream in;
        try {
            in = ImageIO.createImageInputStream(file.toFile());
        } catch (IOException e) {
            throw new VolumeException("Cannot open image " + file + ": " + e, e);
        }
        if (in == null) {
            throw new VolumeException("Cannot open image " + file + ": not readable");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            close(in);
            throw new VolumeException("Cannot open image " + file + ": not an image format ImageIO reads (PNG, TIFF)");
        }
        ImageReader reader = readers.next();
        while (readers.hasNext() && isTwelveMonkeys(reader)) {
            reader.dispose();
            reader = readers.next();
        }
        while (readers.hasNext()) {
            readers.next().dispose();
        }
        reader.setInput(in, false, true);
        return reader;
    }

    private static boolean isTwelveMonkeys(ImageReader reader) {
        return reader.getClass().getName().startsWith(TWELVEMONKEYS);
    }

    /** Disposes of a reader and closes its stream. */
    static void close(ImageReader reader) {
        Object input = reader.getInput();
        reader.dispose();
        if (input instanceof ImageInputStream in) {
            close(in);
        }
    }

    private static void close(ImageInputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Closing a read-only stream: nothing was written that could be lost.
        }
    }

    /**
     * Reads one image's header.
     *
     * @throws VolumeException if it cannot be read or is not a single-band integer image
     */
    static Header header(ImageReader reader, int index, Path file) {
        try {
            int width = reader.getWidth(index);
            int height = reader.getHeight(index);
            ImageTypeSpecifier type = reader.getRawImageType(index);
            if (type == null) {
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(index);
                type = types.hasNext() ? types.next() : null;
            }
            if (type == null) {
                throw new VolumeException("Cannot read image " + file + describe(index) + ": unknown pixel type");
            }
            return new Header(width, height, dtype(type.getSampleModel().getNumBands(),
                    type.getSampleModel().getDataType(), type.getSampleModel().getSampleSize(0), file, index));
        } catch (IOException | RuntimeException e) {
            if (e instanceof VolumeException v) {
                throw v;
            }
            throw new VolumeException("Cannot read image " + file + describe(index) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the box's rows and columns of one image into the box's z slice {@code slice}.
     *
     * @param expected the stack's slice size, checked against this image
     * @throws VolumeException if the image cannot be decoded, has another size, or is not a
     *     single-band integer image
     */
    static void read(ImageReader reader, int index, Path file, Header expected, Box box, long slice, long[] target) {
        BufferedImage image;
        try {
            int width = reader.getWidth(index);
            int height = reader.getHeight(index);
            if (width != expected.width() || height != expected.height()) {
                throw new VolumeException("Cannot read image " + file + describe(index) + ": it is " + width + " x "
                        + height + " pixels, the stack's slices are " + expected.width() + " x " + expected.height());
            }
            ImageReadParam param = reader.getDefaultReadParam();
            if (!isTwelveMonkeys(reader)) {
                param.setSourceRegion(new Rectangle((int) box.x0(), (int) box.y0(), (int) box.sizeX(),
                        (int) box.sizeY()));
            }
            image = reader.read(index, param);
        } catch (IOException | RuntimeException e) {
            if (e instanceof VolumeException v) {
                throw v;
            }
            throw new VolumeException("Cannot read image " + file + describe(index) + ": " + e.getMessage(), e);
        }
        Raster raster = image.getRaster();
        if (isTwelveMonkeys(reader)) {
            raster = raster.createChild(raster.getMinX() + (int) box.x0(), raster.getMinY() + (int) box.y0(),
                    (int) box.sizeX(), (int) box.sizeY(), 0, 0, null);
        }
        dtype(raster.getNumBands(), raster.getDataBuffer().getDataType(), raster.getSampleModel().getSampleSize(0),
                file, index);
        if (raster.getWidth() != box.sizeX() || raster.getHeight() != box.sizeY()) {
            throw new VolumeException("Cannot read image " + file + describe(index) + ": decoded " + raster.getWidth()
                    + " x " + raster.getHeight() + " pixels for a region of " + box.sizeX() + " x " + box.sizeY());
        }
        boolean int32 = raster.getDataBuffer().getDataType() == DataBuffer.TYPE_INT;
        boolean signed16 = raster.getDataBuffer().getDataType() == DataBuffer.TYPE_SHORT;
        int w = (int) box.sizeX();
        int[] row = new int[w];
        for (int y = 0; y < box.sizeY(); y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            int at = (int) ((slice * box.sizeY() + y) * box.sizeX());
            for (int x = 0; x < w; x++) {
                if (signed16 && row[x] < 0) {
                    throw new VolumeException("Cannot read image " + file + describe(index) + ": pixel (y, x) = ("
                            + (box.y0() + y) + ", " + (box.x0() + x) + ") holds " + row[x]
                            + " (int16); labels are unsigned, a signed image must hold no negative value");
                }
                target[at + x] = int32 ? Integer.toUnsignedLong(row[x]) : row[x];
            }
        }
    }

    private static String dtype(int bands, int dataType, int bits, Path file, int index) {
        if (bands != 1) {
            throw new VolumeException("Cannot read image " + file + describe(index) + ": it has " + bands
                    + " bands; a label image is single-band grayscale");
        }
        return switch (dataType) {
            case DataBuffer.TYPE_BYTE -> bits < 8 ? "uint" + bits : "uint8";
            case DataBuffer.TYPE_USHORT -> "uint16";
            case DataBuffer.TYPE_SHORT -> "int16";
            case DataBuffer.TYPE_INT -> "uint32";
            default -> throw new VolumeException("Cannot read image " + file + describe(index)
                    + ": floating-point pixels; a label image holds integers");
        };
    }

    private static String describe(int index) {
        return index == 0 ? "" : " page " + index;
    }
}
