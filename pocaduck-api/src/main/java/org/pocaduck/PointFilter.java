package org.pocaduck;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.pocaduck.spi.FilteredPoints;

/**
 * Which of a label's points {@link Query#points(long, PointFilter)} returns, and at what scale.
 *
 * <p>The rules, applied in this order:
 * <ol>
 *   <li><b>blocks</b>: if present, only the points stored under those block ids (compared exactly
 *       as written; ids the label does not have are ignored, an empty set keeps nothing);
 *   <li><b>box</b>: if present, only the points whose x, y and z (the first three values of a
 *       point) lie inside the {@link Box}, bounds included, in full-resolution coordinates;
 *   <li><b>scale</b> {@code s}: 0 leaves every value as stored, repeats included. Above 0, x, y
 *       and z become {@code floor(v / 2^s)} ({@link Math#floorDiv} semantics, so -1 becomes -1 at
 *       scale 1, not 0), the other values are kept, and each distinct point (over all D values)
 *       is returned once, sorted as by {@link PointCloud#distinct()}.
 * </ol>
 * A box or a scale above 0 needs x, y, z: a store of fewer than 3 dimensions refuses them.
 *
 * <p>Unlike DVID, whose {@code minx..maxz} are in the coordinates of the requested scale, the box
 * here is always in full-resolution coordinates, and applies before the scale.
 *
 * <p>Immutable and thread-safe.
 *
 * @param box the region to keep, if any
 * @param blocks the block ids to keep, if any (copied)
 * @param scale the downsampling level, 0 to {@link #MAX_SCALE}
 */
public record PointFilter(Optional<Box> box, Optional<Set<String>> blocks, int scale) {
    /** The largest scale: at 63 every coordinate becomes 0 or -1. */
    public static final int MAX_SCALE = 63;

    /** Every point, as stored: no blocks chosen, no box, scale 0. */
    public static final PointFilter ALL = new PointFilter(Optional.empty(), Optional.empty(), 0);

    /**
     * @throws NullPointerException if an argument or a block id is null
     * @throws IllegalArgumentException if {@code scale} is outside 0..{@value #MAX_SCALE}
     */
    public PointFilter {
        Objects.requireNonNull(box, "box is null");
        Objects.requireNonNull(blocks, "blocks is null");
        blocks = blocks.map(Set::copyOf);
        if (scale < 0 || scale > MAX_SCALE) {
            throw new IllegalArgumentException("Cannot filter points at scale " + scale + ": a scale is 0 (full "
                    + "resolution) to " + MAX_SCALE + ", each level halving x, y and z");
        }
    }

    /** @return this filter keeping only the points inside {@code box} */
    public PointFilter withBox(Box box) {
        return new PointFilter(Optional.of(Objects.requireNonNull(box, "box is null")), blocks, scale);
    }

    /** @return this filter keeping only the points of the given block ids (copied) */
    public PointFilter withBlocks(Set<String> blockIds) {
        return new PointFilter(box, Optional.of(Objects.requireNonNull(blockIds, "blockIds is null")), scale);
    }

    /**
     * @return this filter at scale {@code s}
     * @throws IllegalArgumentException if {@code s} is outside 0..{@value #MAX_SCALE}
     */
    public PointFilter withScale(int s) {
        return new PointFilter(box, blocks, s);
    }

    /** @return true if the filter reads x, y, z (a box, or a scale above 0), so needs D of at least 3 */
    public boolean needsCoordinates() {
        return box.isPresent() || scale > 0;
    }

    /** @return true if the filter keeps every point as stored */
    public boolean keepsEverything() {
        return box.isEmpty() && blocks.isEmpty() && scale == 0;
    }

    /**
     * Applies the box and the scale to points already read (a cloud holds no block ids, so
     * {@link #blocks()} plays no part here).
     *
     * @param points N x D values, row-major; not changed
     * @return the points inside the box, at the filter's scale (distinct and sorted above scale 0)
     * @throws IllegalArgumentException if the filter needs x, y, z and D is below 3
     */
    public PointCloud apply(PointCloud points) {
        Objects.requireNonNull(points, "points is null");
        FilteredPoints kept = new FilteredPoints(this, points.dimensions());
        kept.add(points);
        return kept.result();
    }

    /** @return the filter as {@code blocks=[...] box=... scale=s}, only the parts set */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        blocks.ifPresent(b -> text.append("blocks=").append(new java.util.TreeSet<>(b)).append(' '));
        box.ifPresent(b -> text.append("box=").append(b).append(' '));
        return text.append("scale=").append(scale).toString();
    }
}
