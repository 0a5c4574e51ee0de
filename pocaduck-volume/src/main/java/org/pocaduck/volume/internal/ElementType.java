package org.pocaduck.volume.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.pocaduck.volume.VolumeException;

/**
 * A stored integer element type: its size in bytes, signedness and byte order. Converts stored
 * elements to uint64 labels carried in a {@code long} (unsigned types widened without sign;
 * signed types must hold no negative value). Immutable, thread-safe.
 *
 * @param bytes 1, 2, 4 or 8
 * @param signed true for int8..int64, false for uint8..uint64
 * @param order the stored byte order
 */
public record ElementType(int bytes, boolean signed, ByteOrder order) {
    /** @throws IllegalArgumentException if {@code bytes} is not 1, 2, 4 or 8 */
    public ElementType {
        if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
            throw new IllegalArgumentException("Cannot describe element type of " + bytes + " bytes: must be 1, 2, 4 or 8");
        }
        if (order == null) {
            throw new IllegalArgumentException("order is null");
        }
    }

    /** @return the name users know, such as {@code uint64} or {@code int32} */
    public String name() {
        return (signed ? "int" : "uint") + (bytes * 8);
    }

    /**
     * Copies a run of elements to labels.
     *
     * @param buffer stored bytes
     * @param byteIndex first element's first byte
     * @param count elements to copy
     * @param target receives labels
     * @param targetIndex first target index
     * @param file the file named in errors
     * @param where describes the first element's voxel for errors, as {@code (z, y, x)}
     * @throws VolumeException if a signed element is negative
     */
    public void copy(ByteBuffer buffer, int byteIndex, int count, long[] target, int targetIndex, Path file,
            VoxelName where) {
        ByteBuffer view = buffer.order() == order ? buffer : buffer.duplicate().order(order);
        int at = byteIndex;
        switch (bytes) {
            case 1 -> {
                for (int i = 0; i < count; i++, at++) {
                    target[targetIndex + i] = signed ? view.get(at) : view.get(at) & 0xFFL;
                }
            }
            case 2 -> {
                for (int i = 0; i < count; i++, at += 2) {
                    target[targetIndex + i] = signed ? view.getShort(at) : view.getShort(at) & 0xFFFFL;
                }
            }
            case 4 -> {
                for (int i = 0; i < count; i++, at += 4) {
                    target[targetIndex + i] = signed ? view.getInt(at) : view.getInt(at) & 0xFFFF_FFFFL;
                }
            }
            default -> {
                for (int i = 0; i < count; i++, at += 8) {
                    target[targetIndex + i] = view.getLong(at);
                }
            }
        }
        if (signed) {
            for (int i = 0; i < count; i++) {
                if (target[targetIndex + i] < 0) {
                    throw negative(file, where.describe(i), target[targetIndex + i]);
                }
            }
        }
    }

    /**
     * @return the error for a negative label in a signed volume
     */
    public VolumeException negative(Path file, String voxel, long value) {
        return new VolumeException("Cannot read volume " + file + ": voxel " + voxel + " holds " + value + " (" + name()
                + "); labels are unsigned, a signed volume must hold no negative value");
    }

    /** Names the voxel of the i-th element of a run, for error messages. */
    @FunctionalInterface
    public interface VoxelName {
        /** @return the voxel as {@code (z, y, x) = (...)} */
        String describe(int offsetInRun);

        /** @return a name for a run along x starting at voxel (z, y, x) */
        static VoxelName run(long z, long y, long x) {
            return i -> "(z, y, x) = (" + z + ", " + y + ", " + (x + i) + ")";
        }
    }
}
