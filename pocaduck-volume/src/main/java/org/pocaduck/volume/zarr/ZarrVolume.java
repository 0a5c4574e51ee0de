package org.pocaduck.volume.zarr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.internal.Checks;
import org.pocaduck.volume.internal.Regions;

/**
 * An open Zarr array. A {@link #read} opens and decodes only the chunk files that intersect the
 * box, one at a time: memory per read is the box plus one encoded and one decoded chunk. For a
 * sharded array it reads each intersecting shard's index and then only the byte ranges of the
 * inner chunks that intersect the box. A box aligned to the chunk (inner chunk) grid decodes each
 * chunk once; other boxes decode the chunks they share again. A missing chunk file, shard or empty
 * inner chunk reads as the array's fill value (Zarr specification). Not thread-safe; holds no
 * open files between reads.
 */
final class ZarrVolume implements VolumeSource {
    private final Path path;
    private final ZarrArray array;
    private final VolumeShape shape;
    private final int[] chunk;
    private final int[] inner;
    private final long innerBytes;
    private boolean closed;

    ZarrVolume(Path path, ZarrArray array) {
        this.path = path;
        this.array = array;
        int n = array.shape().length;
        this.shape = new VolumeShape(array.shape()[n - 3], array.shape()[n - 2], array.shape()[n - 1]);
        this.chunk = new int[] {array.chunks()[n - 3], array.chunks()[n - 2], array.chunks()[n - 1]};
        int[] innerShape = array.sharding().map(ZarrArray.Sharding::innerChunks).orElse(array.chunks());
        this.inner = new int[] {innerShape[n - 3], innerShape[n - 2], innerShape[n - 1]};
        long bytes = array.type().bytes();
        for (int c : innerShape) {
            bytes = Math.multiplyExact(bytes, c);
        }
        this.innerBytes = bytes;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public String format() {
        return ZarrFormat.NAME;
    }

    @Override
    public VolumeShape shape() {
        return shape;
    }

    @Override
    public String dtype() {
        return array.type().name();
    }

    @Override
    public void read(Box box, long[] target) {
        Checks.requireOpen(closed, path);
        Checks.requireReadable(box, target, shape, path);
        int[] unit = array.sharding().isPresent() ? inner : chunk;
        Map<Path, Shard> shards = new HashMap<>();
        try {
            for (long uz = box.z0() / unit[0]; uz <= (box.z0() + box.sizeZ() - 1) / unit[0]; uz++) {
                for (long uy = box.y0() / unit[1]; uy <= (box.y0() + box.sizeY() - 1) / unit[1]; uy++) {
                    for (long ux = box.x0() / unit[2]; ux <= (box.x0() + box.sizeX() - 1) / unit[2]; ux++) {
                        long[] origin = {uz * unit[0], uy * unit[1], ux * unit[2]};
                        Path file = array.sharding().isPresent()
                                ? array.chunkFile(origin[0] / chunk[0], origin[1] / chunk[1], origin[2] / chunk[2])
                                : array.chunkFile(uz, uy, ux);
                        byte[] decoded = array.sharding().isPresent()
                                ? innerChunk(shards.computeIfAbsent(file, this::openShard), origin)
                                : decode(file, Files.exists(file) ? read(file) : null, array.codecs(),
                                        array.chunkBytes(), "");
                        if (decoded == null) {
                            if (array.type().signed() && array.fill() < 0) {
                                throw array.type().negative(file, "(z, y, x) = (" + origin[0] + ", " + origin[1]
                                        + ", " + origin[2] + ") (missing chunk, fill_value)", array.fill());
                            }
                            Regions.fillBlock(array.fill(), origin, unit, box, target);
                        } else {
                            Regions.copyBlock(ByteBuffer.wrap(decoded), array.type(), origin, unit, box, target, file);
                        }
                    }
                }
            }
        } finally {
            for (Shard shard : shards.values()) {
                shard.close();
            }
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new VolumeException("Cannot read chunk " + file + ": " + e, e);
        }
    }

    /** One shard file opened for a read: its channel and index, or neither if it does not exist. */
    private record Shard(Path file, FileChannel channel, long size, long[] index) {
        void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Read-only channel: nothing written could be lost.
                }
            }
        }
    }

    private Shard openShard(Path file) {
        if (!Files.exists(file)) {
            return new Shard(file, null, 0, null);
        }
        ZarrArray.Sharding sharding = array.sharding().orElseThrow();
        int entries = sharding.innerPerShard(array.chunks());
        int indexBytes = Math.multiplyExact(entries, 16) + (sharding.indexCrc32c() ? 4 : 0);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            long size = channel.size();
            if (size < indexBytes) {
                throw new VolumeException("Cannot read shard " + file + " of Zarr array " + array.directory() + ": "
                        + size + " bytes cannot hold its index of " + indexBytes + " bytes (truncated)");
            }
            byte[] raw = readFully(channel, sharding.indexAtEnd() ? size - indexBytes : 0, indexBytes, file);
            if (sharding.indexCrc32c()) {
                raw = Codec.CRC32C.decode(raw, -1);
            }
            ByteBuffer view = ByteBuffer.wrap(raw).order(sharding.indexOrder());
            long[] index = new long[entries * 2];
            for (int i = 0; i < index.length; i++) {
                index[i] = view.getLong(i * 8);
            }
            return new Shard(file, channel, size, index);
        } catch (CodecException e) {
            closeQuietly(channel);
            throw new VolumeException("Cannot read shard index of " + file + " of Zarr array " + array.directory()
                    + ": " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new VolumeException("Cannot read shard " + file + " of Zarr array " + array.directory() + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** @return the decoded inner chunk at a voxel origin, or null if it is empty or its shard missing */
    private byte[] innerChunk(Shard shard, long[] origin) {
        if (shard.channel() == null) {
            return null;
        }
        int perY = chunk[1] / inner[1];
        int perX = chunk[2] / inner[2];
        long local = ((origin[0] % chunk[0]) / inner[0] * perY + (origin[1] % chunk[1]) / inner[1]) * perX
                + (origin[2] % chunk[2]) / inner[2];
        long offset = shard.index()[(int) (2 * local)];
        long nbytes = shard.index()[(int) (2 * local + 1)];
        String which = " inner chunk at (z, y, x) = (" + origin[0] + ", " + origin[1] + ", " + origin[2] + ")";
        if (offset == -1 && nbytes == -1) {
            return null;
        }
        if (offset < 0 || nbytes < 0 || nbytes > Integer.MAX_VALUE - 8 || offset + nbytes > shard.size()) {
            throw new VolumeException("Cannot read" + which + " of shard " + shard.file() + " of Zarr array "
                    + array.directory() + ": its index entry (offset " + offset + ", " + nbytes
                    + " bytes) lies outside the file of " + shard.size() + " bytes (truncated or corrupt)");
        }
        byte[] data;
        try {
            data = readFully(shard.channel(), offset, (int) nbytes, shard.file());
        } catch (IOException e) {
            throw new VolumeException("Cannot read" + which + " of shard " + shard.file() + ": " + e, e);
        }
        return decode(shard.file(), data, array.sharding().orElseThrow().codecs(), innerBytes, which + " of shard");
    }

    private static byte[] readFully(FileChannel channel, long position, int length, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of " + file);
            }
        }
        return buffer.array();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Read-only channel: nothing written could be lost.
            }
        }
    }

    /**
     * Decodes stored chunk bytes.
     *
     * @param data the stored bytes, or null if the chunk does not exist
     * @param what names an inner chunk in messages ({@code ""} for a chunk file)
     * @return the decoded chunk, or null if data is null
     */
    private byte[] decode(Path file, byte[] data, List<Codec> codecs, long expected, String what) {
        if (data == null) {
            return null;
        }
        try {
            for (int i = 0; i < codecs.size(); i++) {
                data = codecs.get(i).decode(data, i == codecs.size() - 1 && expected < Integer.MAX_VALUE
                        ? (int) expected : -1);
            }
        } catch (CodecException e) {
            throw new VolumeException("Cannot read" + what + " chunk " + file + " of Zarr array " + array.directory()
                    + ": " + e.getMessage(), e);
        }
        if (data.length != expected) {
            throw new VolumeException("Cannot read" + what + " chunk " + file + " of Zarr array " + array.directory()
                    + ": it decodes to " + data.length + " bytes, but the metadata's chunk shape "
                    + java.util.Arrays.toString(what.isEmpty() ? array.chunks()
                            : array.sharding().orElseThrow().innerChunks())
                    + " of " + array.type().name() + " needs " + expected);
        }
        return data;
    }

    @Override
    public void close() {
        closed = true;
    }

}
