/**
 * The scan engine shared by {@code pocaduck scan} and the Spark job: {@link org.pocaduck.scan.Scanner}
 * reads a label volume slab by slab, groups each block's voxels by label and writes each label's
 * points (x, y, z in global voxel coordinates, then attribute values) through one
 * {@link org.pocaduck.Ingestor} per thread, committing at the end.
 */
package org.pocaduck.scan;
